from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="StatusDay")



@_attrs_define
class StatusDay:
    """ One component's day.

        Attributes:
            date (str): The UTC day.
            degraded (int): Minutes degraded.
            incidents (list[UUID]): Incidents affecting the component that day.
            maintenance (int): Minutes in maintenance.
            maintenances (list[UUID]): Maintenance windows of the component that day.
            major_outage (int): Minutes in major outage.
            no_data (int): Minutes (so far, today) with no sample: no process was up to look.
            operational (int): Minutes operational.
            partial_outage (int): Minutes in partial outage.
            uptime (float | Unset): The day's uptime in percent; absent with no data.
     """

    date: str
    degraded: int
    incidents: list[UUID]
    maintenance: int
    maintenances: list[UUID]
    major_outage: int
    no_data: int
    operational: int
    partial_outage: int
    uptime: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        date = self.date

        degraded = self.degraded

        incidents = []
        for incidents_item_data in self.incidents:
            incidents_item = str(incidents_item_data)
            incidents.append(incidents_item)



        maintenance = self.maintenance

        maintenances = []
        for maintenances_item_data in self.maintenances:
            maintenances_item = str(maintenances_item_data)
            maintenances.append(maintenances_item)



        major_outage = self.major_outage

        no_data = self.no_data

        operational = self.operational

        partial_outage = self.partial_outage

        uptime = self.uptime


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "date": date,
            "degraded": degraded,
            "incidents": incidents,
            "maintenance": maintenance,
            "maintenances": maintenances,
            "majorOutage": major_outage,
            "noData": no_data,
            "operational": operational,
            "partialOutage": partial_outage,
        })
        if uptime is not UNSET:
            field_dict["uptime"] = uptime

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = d.pop("date")

        degraded = d.pop("degraded")

        incidents = []
        _incidents = d.pop("incidents")
        for incidents_item_data in (_incidents):
            incidents_item = UUID(incidents_item_data)



            incidents.append(incidents_item)


        maintenance = d.pop("maintenance")

        maintenances = []
        _maintenances = d.pop("maintenances")
        for maintenances_item_data in (_maintenances):
            maintenances_item = UUID(maintenances_item_data)



            maintenances.append(maintenances_item)


        major_outage = d.pop("majorOutage")

        no_data = d.pop("noData")

        operational = d.pop("operational")

        partial_outage = d.pop("partialOutage")

        uptime = d.pop("uptime", UNSET)

        status_day = cls(
            date=date,
            degraded=degraded,
            incidents=incidents,
            maintenance=maintenance,
            maintenances=maintenances,
            major_outage=major_outage,
            no_data=no_data,
            operational=operational,
            partial_outage=partial_outage,
            uptime=uptime,
        )


        status_day.additional_properties = d
        return status_day

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
