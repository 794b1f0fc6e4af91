from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="NewMaintenanceRequest")



@_attrs_define
class NewMaintenanceRequest:
    """ Schedules a maintenance window.

        Attributes:
            components (list[str]): The components under maintenance (at least one).
            ends_at (datetime.datetime): When it ends: after the start, in the future, at most 7 days after the start.
            starts_at (datetime.datetime): When it starts.
            title (str): A short title, 1 to 200 characters.
            body (None | str | Unset): What is done, up to 5000 characters.
     """

    components: list[str]
    ends_at: datetime.datetime
    starts_at: datetime.datetime
    title: str
    body: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        components = self.components



        ends_at = self.ends_at.isoformat()

        starts_at = self.starts_at.isoformat()

        title = self.title

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "components": components,
            "endsAt": ends_at,
            "startsAt": starts_at,
            "title": title,
        })
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        components = cast(list[str], d.pop("components"))


        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        title = d.pop("title")

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))


        new_maintenance_request = cls(
            components=components,
            ends_at=ends_at,
            starts_at=starts_at,
            title=title,
            body=body,
        )


        new_maintenance_request.additional_properties = d
        return new_maintenance_request

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
