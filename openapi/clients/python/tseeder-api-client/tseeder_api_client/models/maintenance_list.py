from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.maintenance import Maintenance





T = TypeVar("T", bound="MaintenanceList")



@_attrs_define
class MaintenanceList:
    """ `{maintenances}`.

        Attributes:
            maintenances (list[Maintenance]): By start time.
     """

    maintenances: list[Maintenance]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.maintenance import Maintenance # noqa: PLC0415
        maintenances = []
        for maintenances_item_data in self.maintenances:
            maintenances_item = maintenances_item_data.to_dict()
            maintenances.append(maintenances_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "maintenances": maintenances,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.maintenance import Maintenance # noqa: PLC0415
        d = dict(src_dict)
        maintenances = []
        _maintenances = d.pop("maintenances")
        for maintenances_item_data in (_maintenances):
            maintenances_item = Maintenance.from_dict(maintenances_item_data)



            maintenances.append(maintenances_item)


        maintenance_list = cls(
            maintenances=maintenances,
        )


        maintenance_list.additional_properties = d
        return maintenance_list

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
