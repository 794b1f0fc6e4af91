from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.component_now import ComponentNow
  from ..models.incident import Incident
  from ..models.maintenance import Maintenance
  from ..models.overall_status import OverallStatus





T = TypeVar("T", bound="StatusNow")



@_attrs_define
class StatusNow:
    """ The service's state now.

        Attributes:
            components (list[ComponentNow]): Every component.
            incidents (list[Incident]): Incidents still open.
            maintenances (list[Maintenance]): Maintenance windows in progress or to come.
            status (OverallStatus): The overall indicator and its sentence.
     """

    components: list[ComponentNow]
    incidents: list[Incident]
    maintenances: list[Maintenance]
    status: OverallStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.component_now import ComponentNow # noqa: PLC0415
        from ..models.incident import Incident # noqa: PLC0415
        from ..models.maintenance import Maintenance # noqa: PLC0415
        from ..models.overall_status import OverallStatus # noqa: PLC0415
        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)



        incidents = []
        for incidents_item_data in self.incidents:
            incidents_item = incidents_item_data.to_dict()
            incidents.append(incidents_item)



        maintenances = []
        for maintenances_item_data in self.maintenances:
            maintenances_item = maintenances_item_data.to_dict()
            maintenances.append(maintenances_item)



        status = self.status.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "components": components,
            "incidents": incidents,
            "maintenances": maintenances,
            "status": status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.component_now import ComponentNow # noqa: PLC0415
        from ..models.incident import Incident # noqa: PLC0415
        from ..models.maintenance import Maintenance # noqa: PLC0415
        from ..models.overall_status import OverallStatus # noqa: PLC0415
        d = dict(src_dict)
        components = []
        _components = d.pop("components")
        for components_item_data in (_components):
            components_item = ComponentNow.from_dict(components_item_data)



            components.append(components_item)


        incidents = []
        _incidents = d.pop("incidents")
        for incidents_item_data in (_incidents):
            incidents_item = Incident.from_dict(incidents_item_data)



            incidents.append(incidents_item)


        maintenances = []
        _maintenances = d.pop("maintenances")
        for maintenances_item_data in (_maintenances):
            maintenances_item = Maintenance.from_dict(maintenances_item_data)



            maintenances.append(maintenances_item)


        status = OverallStatus.from_dict(d.pop("status"))




        status_now = cls(
            components=components,
            incidents=incidents,
            maintenances=maintenances,
            status=status,
        )


        status_now.additional_properties = d
        return status_now

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
