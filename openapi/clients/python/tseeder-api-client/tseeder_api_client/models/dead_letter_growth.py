from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="DeadLetterGrowth")



@_attrs_define
class DeadLetterGrowth:
    """ The dead-letter queue's growth.

        Attributes:
            now (int): Messages in it now.
            change24h (int | Unset): The change since the oldest snapshot of the last 24 hours; absent without one.
            per_hour (float | Unset): The least-squares trend over the window's snapshots, messages per hour; absent with
                fewer than two snapshots.
     """

    now: int
    change24h: int | Unset = UNSET
    per_hour: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        now = self.now

        change24h = self.change24h

        per_hour = self.per_hour


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "now": now,
        })
        if change24h is not UNSET:
            field_dict["change24h"] = change24h
        if per_hour is not UNSET:
            field_dict["perHour"] = per_hour

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        now = d.pop("now")

        change24h = d.pop("change24h", UNSET)

        per_hour = d.pop("perHour", UNSET)

        dead_letter_growth = cls(
            now=now,
            change24h=change24h,
            per_hour=per_hour,
        )


        dead_letter_growth.additional_properties = d
        return dead_letter_growth

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
