from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.request_stats import RequestStats





T = TypeVar("T", bound="RouteStats")



@_attrs_define
class RouteStats:
    """ One route's requests over the window.

        Attributes:
            method (str): The HTTP method.
            route (str): The route template from this document (`/api/v1/jobs/:id`), `/metrics`, or `console` for
                the web pages.
            stats (RequestStats): Requests answered, merged over every API host.
     """

    method: str
    route: str
    stats: RequestStats
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.request_stats import RequestStats # noqa: PLC0415
        method = self.method

        route = self.route

        stats = self.stats.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "method": method,
            "route": route,
            "stats": stats,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.request_stats import RequestStats # noqa: PLC0415
        d = dict(src_dict)
        method = d.pop("method")

        route = d.pop("route")

        stats = RequestStats.from_dict(d.pop("stats"))




        route_stats = cls(
            method=method,
            route=route,
            stats=stats,
        )


        route_stats.additional_properties = d
        return route_stats

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
