from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.heartbeat_record import HeartbeatRecord
  from ..models.worker import Worker





T = TypeVar("T", bound="WorkerDetailView")



@_attrs_define
class WorkerDetailView:
    """ A worker and its recent heartbeats.

        Attributes:
            history (list[HeartbeatRecord]): Its latest heartbeats (at most 50), newest first. After each silence longer
                than the
                staleness threshold, an `offline` record (no jobs, CPU or bandwidth) marks when it was first
                shown offline.
            worker (Worker): A remote compute agent, as of its latest heartbeat.
     """

    history: list[HeartbeatRecord]
    worker: Worker
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.heartbeat_record import HeartbeatRecord # noqa: PLC0415
        from ..models.worker import Worker # noqa: PLC0415
        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)



        worker = self.worker.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "history": history,
            "worker": worker,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.heartbeat_record import HeartbeatRecord # noqa: PLC0415
        from ..models.worker import Worker # noqa: PLC0415
        d = dict(src_dict)
        history = []
        _history = d.pop("history")
        for history_item_data in (_history):
            history_item = HeartbeatRecord.from_dict(history_item_data)



            history.append(history_item)


        worker = Worker.from_dict(d.pop("worker"))




        worker_detail_view = cls(
            history=history,
            worker=worker,
        )


        worker_detail_view.additional_properties = d
        return worker_detail_view

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
