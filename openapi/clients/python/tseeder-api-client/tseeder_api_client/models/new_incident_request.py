from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.incident_impact import IncidentImpact
from ..models.incident_status import IncidentStatus
from typing import cast






T = TypeVar("T", bound="NewIncidentRequest")



@_attrs_define
class NewIncidentRequest:
    """ Opens an incident.

        Attributes:
            body (str): The first update, 1 to 5000 characters, published as written.
            components (list[str]): The affected components' ids (see `GET /api/v1/status`).
            impact (IncidentImpact): An incident's impact.
            status (IncidentStatus): Where an incident stands.
            title (str): A short title, 1 to 200 characters.
     """

    body: str
    components: list[str]
    impact: IncidentImpact
    status: IncidentStatus
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        body = self.body

        components = self.components



        impact = self.impact.value

        status = self.status.value

        title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "components": components,
            "impact": impact,
            "status": status,
            "title": title,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body = d.pop("body")

        components = cast(list[str], d.pop("components"))


        impact = IncidentImpact(d.pop("impact"))




        status = IncidentStatus(d.pop("status"))




        title = d.pop("title")

        new_incident_request = cls(
            body=body,
            components=components,
            impact=impact,
            status=status,
            title=title,
        )


        new_incident_request.additional_properties = d
        return new_incident_request

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
