from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="RetentionSweep")



@_attrs_define
class RetentionSweep:
    """ What one sweep did.

        Attributes:
            blobs_deleted (int): Objects deleted from the store with their last row.
            bytes_deleted (int): Their bytes.
            files_deleted (int): Files deleted because the policy chose them.
            finished_at (datetime.datetime): When it finished.
            kept_on_error (int): Files kept because the policy failed on their batch.
            orphan_blobs (int): Objects no row referenced, deleted by the orphan cleanup.
            orphan_rows (int): Rows whose object was missing, deleted by the orphan cleanup.
            policy (str): `native` or `plugin <sha256>`.
            started_at (datetime.datetime): When it started.
            trigger (str): `schedule` or `admin`.
            error (str | Unset): The first error, if any.
     """

    blobs_deleted: int
    bytes_deleted: int
    files_deleted: int
    finished_at: datetime.datetime
    kept_on_error: int
    orphan_blobs: int
    orphan_rows: int
    policy: str
    started_at: datetime.datetime
    trigger: str
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        blobs_deleted = self.blobs_deleted

        bytes_deleted = self.bytes_deleted

        files_deleted = self.files_deleted

        finished_at = self.finished_at.isoformat()

        kept_on_error = self.kept_on_error

        orphan_blobs = self.orphan_blobs

        orphan_rows = self.orphan_rows

        policy = self.policy

        started_at = self.started_at.isoformat()

        trigger = self.trigger

        error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "blobsDeleted": blobs_deleted,
            "bytesDeleted": bytes_deleted,
            "filesDeleted": files_deleted,
            "finishedAt": finished_at,
            "keptOnError": kept_on_error,
            "orphanBlobs": orphan_blobs,
            "orphanRows": orphan_rows,
            "policy": policy,
            "startedAt": started_at,
            "trigger": trigger,
        })
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        blobs_deleted = d.pop("blobsDeleted")

        bytes_deleted = d.pop("bytesDeleted")

        files_deleted = d.pop("filesDeleted")

        finished_at = datetime.datetime.fromisoformat(d.pop("finishedAt"))




        kept_on_error = d.pop("keptOnError")

        orphan_blobs = d.pop("orphanBlobs")

        orphan_rows = d.pop("orphanRows")

        policy = d.pop("policy")

        started_at = datetime.datetime.fromisoformat(d.pop("startedAt"))




        trigger = d.pop("trigger")

        error = d.pop("error", UNSET)

        retention_sweep = cls(
            blobs_deleted=blobs_deleted,
            bytes_deleted=bytes_deleted,
            files_deleted=files_deleted,
            finished_at=finished_at,
            kept_on_error=kept_on_error,
            orphan_blobs=orphan_blobs,
            orphan_rows=orphan_rows,
            policy=policy,
            started_at=started_at,
            trigger=trigger,
            error=error,
        )


        retention_sweep.additional_properties = d
        return retention_sweep

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
