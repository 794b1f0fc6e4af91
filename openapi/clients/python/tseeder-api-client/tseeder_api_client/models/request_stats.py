from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="RequestStats")



@_attrs_define
class RequestStats:
    """ Requests answered, merged over every API host.

        Attributes:
            client_errors (int): Answered with a 4xx status.
            error_rate (float): `serverErrors / requests`, 0 to 1 (0 without requests).
            requests (int): Requests answered.
            server_errors (int): Answered with a 5xx status.
            p_50_ms (float | Unset): Median latency in milliseconds; absent without requests. Read off latency buckets 9 %
                wide, merged over hosts and minutes.
            p_95_ms (float | Unset): 95th percentile latency in milliseconds; absent without requests.
            p_99_ms (float | Unset): 99th percentile latency in milliseconds; absent without requests.
     """

    client_errors: int
    error_rate: float
    requests: int
    server_errors: int
    p_50_ms: float | Unset = UNSET
    p_95_ms: float | Unset = UNSET
    p_99_ms: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        client_errors = self.client_errors

        error_rate = self.error_rate

        requests = self.requests

        server_errors = self.server_errors

        p_50_ms = self.p_50_ms

        p_95_ms = self.p_95_ms

        p_99_ms = self.p_99_ms


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "clientErrors": client_errors,
            "errorRate": error_rate,
            "requests": requests,
            "serverErrors": server_errors,
        })
        if p_50_ms is not UNSET:
            field_dict["p50Ms"] = p_50_ms
        if p_95_ms is not UNSET:
            field_dict["p95Ms"] = p_95_ms
        if p_99_ms is not UNSET:
            field_dict["p99Ms"] = p_99_ms

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_errors = d.pop("clientErrors")

        error_rate = d.pop("errorRate")

        requests = d.pop("requests")

        server_errors = d.pop("serverErrors")

        p_50_ms = d.pop("p50Ms", UNSET)

        p_95_ms = d.pop("p95Ms", UNSET)

        p_99_ms = d.pop("p99Ms", UNSET)

        request_stats = cls(
            client_errors=client_errors,
            error_rate=error_rate,
            requests=requests,
            server_errors=server_errors,
            p_50_ms=p_50_ms,
            p_95_ms=p_95_ms,
            p_99_ms=p_99_ms,
        )


        request_stats.additional_properties = d
        return request_stats

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
