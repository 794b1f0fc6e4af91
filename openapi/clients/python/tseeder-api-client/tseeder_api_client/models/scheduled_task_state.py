from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ScheduledTaskState")



@_attrs_define
class ScheduledTaskState:
    """ The scheduler's state for the sweep.

        Attributes:
            last_finished_at (datetime.datetime | Unset): When it finished.
            last_outcome (str | Unset): How it ended.
            last_slot (datetime.datetime | Unset): The last scheduled time that ran.
            last_started_at (datetime.datetime | Unset): When the last run started.
            lease_owner (str | Unset): The process running it now.
     """

    last_finished_at: datetime.datetime | Unset = UNSET
    last_outcome: str | Unset = UNSET
    last_slot: datetime.datetime | Unset = UNSET
    last_started_at: datetime.datetime | Unset = UNSET
    lease_owner: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        last_finished_at: str | Unset = UNSET
        if not isinstance(self.last_finished_at, Unset):
            last_finished_at = self.last_finished_at.isoformat()

        last_outcome = self.last_outcome

        last_slot: str | Unset = UNSET
        if not isinstance(self.last_slot, Unset):
            last_slot = self.last_slot.isoformat()

        last_started_at: str | Unset = UNSET
        if not isinstance(self.last_started_at, Unset):
            last_started_at = self.last_started_at.isoformat()

        lease_owner = self.lease_owner


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if last_finished_at is not UNSET:
            field_dict["lastFinishedAt"] = last_finished_at
        if last_outcome is not UNSET:
            field_dict["lastOutcome"] = last_outcome
        if last_slot is not UNSET:
            field_dict["lastSlot"] = last_slot
        if last_started_at is not UNSET:
            field_dict["lastStartedAt"] = last_started_at
        if lease_owner is not UNSET:
            field_dict["leaseOwner"] = lease_owner

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _last_finished_at = d.pop("lastFinishedAt", UNSET)
        last_finished_at: datetime.datetime | Unset
        if isinstance(_last_finished_at,  Unset):
            last_finished_at = UNSET
        else:
            last_finished_at = datetime.datetime.fromisoformat(_last_finished_at)




        last_outcome = d.pop("lastOutcome", UNSET)

        _last_slot = d.pop("lastSlot", UNSET)
        last_slot: datetime.datetime | Unset
        if isinstance(_last_slot,  Unset):
            last_slot = UNSET
        else:
            last_slot = datetime.datetime.fromisoformat(_last_slot)




        _last_started_at = d.pop("lastStartedAt", UNSET)
        last_started_at: datetime.datetime | Unset
        if isinstance(_last_started_at,  Unset):
            last_started_at = UNSET
        else:
            last_started_at = datetime.datetime.fromisoformat(_last_started_at)




        lease_owner = d.pop("leaseOwner", UNSET)

        scheduled_task_state = cls(
            last_finished_at=last_finished_at,
            last_outcome=last_outcome,
            last_slot=last_slot,
            last_started_at=last_started_at,
            lease_owner=lease_owner,
        )


        scheduled_task_state.additional_properties = d
        return scheduled_task_state

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
