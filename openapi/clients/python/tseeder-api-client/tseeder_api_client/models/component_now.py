from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.component_state import ComponentState
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ComponentNow")



@_attrs_define
class ComponentNow:
    """ A component now.

        Attributes:
            id (str): Its id (`api`, `database`, `object_store`, `queue`, `agents.<region>`).
            name (str): Its public name.
            checked_at (datetime.datetime | Unset): When it was last sampled.
            reason (str | Unset): Why, in public words.
            since (datetime.datetime | Unset): Since when it is in this state.
            state (ComponentState | Unset): A component's state.
     """

    id: str
    name: str
    checked_at: datetime.datetime | Unset = UNSET
    reason: str | Unset = UNSET
    since: datetime.datetime | Unset = UNSET
    state: ComponentState | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        checked_at: str | Unset = UNSET
        if not isinstance(self.checked_at, Unset):
            checked_at = self.checked_at.isoformat()

        reason = self.reason

        since: str | Unset = UNSET
        if not isinstance(self.since, Unset):
            since = self.since.isoformat()

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
        })
        if checked_at is not UNSET:
            field_dict["checkedAt"] = checked_at
        if reason is not UNSET:
            field_dict["reason"] = reason
        if since is not UNSET:
            field_dict["since"] = since
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        _checked_at = d.pop("checkedAt", UNSET)
        checked_at: datetime.datetime | Unset
        if isinstance(_checked_at,  Unset):
            checked_at = UNSET
        else:
            checked_at = datetime.datetime.fromisoformat(_checked_at)




        reason = d.pop("reason", UNSET)

        _since = d.pop("since", UNSET)
        since: datetime.datetime | Unset
        if isinstance(_since,  Unset):
            since = UNSET
        else:
            since = datetime.datetime.fromisoformat(_since)




        _state = d.pop("state", UNSET)
        state: ComponentState | Unset
        if isinstance(_state,  Unset):
            state = UNSET
        else:
            state = ComponentState(_state)




        component_now = cls(
            id=id,
            name=name,
            checked_at=checked_at,
            reason=reason,
            since=since,
            state=state,
        )


        component_now.additional_properties = d
        return component_now

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
