from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job import Job





T = TypeVar("T", bound="JobStreamEntry")



@_attrs_define
class JobStreamEntry:
    """ `event: <kind>`, `id: <seq>`: an entry of the job's history.

        Attributes:
            created_at (datetime.datetime): When it happened.
            job (Job): A download job. The magnet URI (trackers may carry passkeys) and the torrent bytes are never
                sent back.
            kind (str): What happened (`job_created`, `status_changed`, `attempt_failed`...); also the SSE `event`.
            payload (Any): Details.
            seq (int): Position in the history; also the SSE `id`.
     """

    created_at: datetime.datetime
    job: Job
    kind: str
    payload: Any
    seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job import Job # noqa: PLC0415
        created_at = self.created_at.isoformat()

        job = self.job.to_dict()

        kind = self.kind

        payload = self.payload

        seq = self.seq


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "job": job,
            "kind": kind,
            "payload": payload,
            "seq": seq,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job import Job # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        job = Job.from_dict(d.pop("job"))




        kind = d.pop("kind")

        payload = d.pop("payload")

        seq = d.pop("seq")

        job_stream_entry = cls(
            created_at=created_at,
            job=job,
            kind=kind,
            payload=payload,
            seq=seq,
        )


        job_stream_entry.additional_properties = d
        return job_stream_entry

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
