from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="BulkReplayResult")



@_attrs_define
class BulkReplayResult:
    """ What a bulk replay did.

        Attributes:
            dry_run (bool): Whether this was a dry run.
            matched (int): Dead letters matching before the call.
            remaining (int): Still matching after the call; call again to continue.
            replayed (int): Replayed by this call (at most 100).
            skipped (int): Skipped: their job changed meanwhile.
     """

    dry_run: bool
    matched: int
    remaining: int
    replayed: int
    skipped: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        dry_run = self.dry_run

        matched = self.matched

        remaining = self.remaining

        replayed = self.replayed

        skipped = self.skipped


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "dryRun": dry_run,
            "matched": matched,
            "remaining": remaining,
            "replayed": replayed,
            "skipped": skipped,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dry_run = d.pop("dryRun")

        matched = d.pop("matched")

        remaining = d.pop("remaining")

        replayed = d.pop("replayed")

        skipped = d.pop("skipped")

        bulk_replay_result = cls(
            dry_run=dry_run,
            matched=matched,
            remaining=remaining,
            replayed=replayed,
            skipped=skipped,
        )


        bulk_replay_result.additional_properties = d
        return bulk_replay_result

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
