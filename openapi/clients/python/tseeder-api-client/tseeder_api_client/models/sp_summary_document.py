from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.sp_component import SpComponent
  from ..models.sp_incident import SpIncident
  from ..models.sp_page import SpPage
  from ..models.sp_scheduled_maintenance import SpScheduledMaintenance
  from ..models.sp_status import SpStatus





T = TypeVar("T", bound="SpSummaryDocument")



@_attrs_define
class SpSummaryDocument:
    """ Statuspage's `summary.json`: the page, its indicator, components, open incidents and
    maintenance in progress or to come.

        Attributes:
            components (list[SpComponent]): Every component.
            incidents (list[SpIncident]): Open incidents, newest first.
            page (SpPage): Statuspage's `page` object.
            scheduled_maintenances (list[SpScheduledMaintenance]): Maintenance in progress or to come.
            status (SpStatus): Statuspage's `status` object.
     """

    components: list[SpComponent]
    incidents: list[SpIncident]
    page: SpPage
    scheduled_maintenances: list[SpScheduledMaintenance]
    status: SpStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.sp_component import SpComponent # noqa: PLC0415
        from ..models.sp_incident import SpIncident # noqa: PLC0415
        from ..models.sp_page import SpPage # noqa: PLC0415
        from ..models.sp_scheduled_maintenance import SpScheduledMaintenance # noqa: PLC0415
        from ..models.sp_status import SpStatus # noqa: PLC0415
        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)



        incidents = []
        for incidents_item_data in self.incidents:
            incidents_item = incidents_item_data.to_dict()
            incidents.append(incidents_item)



        page = self.page.to_dict()

        scheduled_maintenances = []
        for scheduled_maintenances_item_data in self.scheduled_maintenances:
            scheduled_maintenances_item = scheduled_maintenances_item_data.to_dict()
            scheduled_maintenances.append(scheduled_maintenances_item)



        status = self.status.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "components": components,
            "incidents": incidents,
            "page": page,
            "scheduled_maintenances": scheduled_maintenances,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sp_component import SpComponent # noqa: PLC0415
        from ..models.sp_incident import SpIncident # noqa: PLC0415
        from ..models.sp_page import SpPage # noqa: PLC0415
        from ..models.sp_scheduled_maintenance import SpScheduledMaintenance # noqa: PLC0415
        from ..models.sp_status import SpStatus # noqa: PLC0415
        d = dict(src_dict)
        components = []
        _components = d.pop("components")
        for components_item_data in (_components):
            components_item = SpComponent.from_dict(components_item_data)



            components.append(components_item)


        incidents = []
        _incidents = d.pop("incidents")
        for incidents_item_data in (_incidents):
            incidents_item = SpIncident.from_dict(incidents_item_data)



            incidents.append(incidents_item)


        page = SpPage.from_dict(d.pop("page"))




        scheduled_maintenances = []
        _scheduled_maintenances = d.pop("scheduled_maintenances")
        for scheduled_maintenances_item_data in (_scheduled_maintenances):
            scheduled_maintenances_item = SpScheduledMaintenance.from_dict(scheduled_maintenances_item_data)



            scheduled_maintenances.append(scheduled_maintenances_item)


        status = SpStatus.from_dict(d.pop("status"))




        sp_summary_document = cls(
            components=components,
            incidents=incidents,
            page=page,
            scheduled_maintenances=scheduled_maintenances,
            status=status,
        )


        sp_summary_document.additional_properties = d
        return sp_summary_document

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
