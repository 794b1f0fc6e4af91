from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID
import datetime






T = TypeVar("T", bound="Maintenance")



@_attrs_define
class Maintenance:
    """ A maintenance window.

        Attributes:
            body (str): What is done (may be empty).
            components (list[str]): The components under maintenance.
            ends_at (datetime.datetime): When it ends.
            id (UUID): Its id.
            starts_at (datetime.datetime): When it starts.
            title (str): The title.
     """

    body: str
    components: list[str]
    ends_at: datetime.datetime
    id: UUID
    starts_at: datetime.datetime
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        components = self.components



        ends_at = self.ends_at.isoformat()

        id = str(self.id)

        starts_at = self.starts_at.isoformat()

        title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "components": components,
            "endsAt": ends_at,
            "id": id,
            "startsAt": starts_at,
            "title": title,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        components = cast(list[str], d.pop("components"))


        ends_at = datetime.datetime.fromisoformat(d.pop("endsAt"))




        id = UUID(d.pop("id"))




        starts_at = datetime.datetime.fromisoformat(d.pop("startsAt"))




        title = d.pop("title")

        maintenance = cls(
            body=body,
            components=components,
            ends_at=ends_at,
            id=id,
            starts_at=starts_at,
            title=title,
        )


        maintenance.additional_properties = d
        return maintenance

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
