from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.worker import Worker





T = TypeVar("T", bound="HeartbeatResponse")



@_attrs_define
class HeartbeatResponse:
    """ The answer to a heartbeat.

        Attributes:
            server_time (datetime.datetime): The server's clock, for the agent to notice skew (signed requests must be
                within
                `agents.signature_window_secs` of it).
            worker (Worker): A remote compute agent, as of its latest heartbeat.
     """

    server_time: datetime.datetime
    worker: Worker
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.worker import Worker # noqa: PLC0415
        server_time = self.server_time.isoformat()

        worker = self.worker.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "serverTime": server_time,
            "worker": worker,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.worker import Worker # noqa: PLC0415
        d = dict(src_dict)
        server_time = datetime.datetime.fromisoformat(d.pop("serverTime"))




        worker = Worker.from_dict(d.pop("worker"))




        heartbeat_response = cls(
            server_time=server_time,
            worker=worker,
        )


        heartbeat_response.additional_properties = d
        return heartbeat_response

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
