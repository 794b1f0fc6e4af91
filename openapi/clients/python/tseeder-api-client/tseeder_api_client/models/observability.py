from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.observability_window import ObservabilityWindow
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.dead_letter_growth import DeadLetterGrowth
  from ..models.policy import Policy
  from ..models.request_point import RequestPoint
  from ..models.request_stats import RequestStats
  from ..models.route_stats import RouteStats
  from ..models.system_snapshot import SystemSnapshot
  from ..models.worker import Worker





T = TypeVar("T", bound="Observability")



@_attrs_define
class Observability:
    """ The observability dashboard over one window.

        Attributes:
            dead_letters (DeadLetterGrowth): The dead-letter queue's growth.
            fleet (list[Worker]): The agents now.
            from_ (datetime.datetime): Its start, aligned to a step.
            hosts (list[str]): The API hosts that flushed request metrics in the window.
            policies (list[Policy]): The routing and retention policies with their decision counters.
            queue (list[SystemSnapshot]): The latest snapshot of each step that has one, oldest first.
            requests (list[RequestPoint]): One point per step, oldest first, every step present.
            routes (list[RouteStats]): Per route and method, the busiest first.
            step_secs (int): The width of one step of the series, in seconds.
            to (datetime.datetime): When this was computed.
            totals (RequestStats): Requests answered, merged over every API host.
            window (ObservabilityWindow): The period shown.
     """

    dead_letters: DeadLetterGrowth
    fleet: list[Worker]
    from_: datetime.datetime
    hosts: list[str]
    policies: list[Policy]
    queue: list[SystemSnapshot]
    requests: list[RequestPoint]
    routes: list[RouteStats]
    step_secs: int
    to: datetime.datetime
    totals: RequestStats
    window: ObservabilityWindow
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.dead_letter_growth import DeadLetterGrowth # noqa: PLC0415
        from ..models.policy import Policy # noqa: PLC0415
        from ..models.request_point import RequestPoint # noqa: PLC0415
        from ..models.request_stats import RequestStats # noqa: PLC0415
        from ..models.route_stats import RouteStats # noqa: PLC0415
        from ..models.system_snapshot import SystemSnapshot # noqa: PLC0415
        from ..models.worker import Worker # noqa: PLC0415
        dead_letters = self.dead_letters.to_dict()

        fleet = []
        for fleet_item_data in self.fleet:
            fleet_item = fleet_item_data.to_dict()
            fleet.append(fleet_item)



        from_ = self.from_.isoformat()

        hosts = self.hosts



        policies = []
        for policies_item_data in self.policies:
            policies_item = policies_item_data.to_dict()
            policies.append(policies_item)



        queue = []
        for queue_item_data in self.queue:
            queue_item = queue_item_data.to_dict()
            queue.append(queue_item)



        requests = []
        for requests_item_data in self.requests:
            requests_item = requests_item_data.to_dict()
            requests.append(requests_item)



        routes = []
        for routes_item_data in self.routes:
            routes_item = routes_item_data.to_dict()
            routes.append(routes_item)



        step_secs = self.step_secs

        to = self.to.isoformat()

        totals = self.totals.to_dict()

        window = self.window.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "deadLetters": dead_letters,
            "fleet": fleet,
            "from": from_,
            "hosts": hosts,
            "policies": policies,
            "queue": queue,
            "requests": requests,
            "routes": routes,
            "stepSecs": step_secs,
            "to": to,
            "totals": totals,
            "window": window,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dead_letter_growth import DeadLetterGrowth # noqa: PLC0415
        from ..models.policy import Policy # noqa: PLC0415
        from ..models.request_point import RequestPoint # noqa: PLC0415
        from ..models.request_stats import RequestStats # noqa: PLC0415
        from ..models.route_stats import RouteStats # noqa: PLC0415
        from ..models.system_snapshot import SystemSnapshot # noqa: PLC0415
        from ..models.worker import Worker # noqa: PLC0415
        d = dict(src_dict)
        dead_letters = DeadLetterGrowth.from_dict(d.pop("deadLetters"))




        fleet = []
        _fleet = d.pop("fleet")
        for fleet_item_data in (_fleet):
            fleet_item = Worker.from_dict(fleet_item_data)



            fleet.append(fleet_item)


        from_ = datetime.datetime.fromisoformat(d.pop("from"))




        hosts = cast(list[str], d.pop("hosts"))


        policies = []
        _policies = d.pop("policies")
        for policies_item_data in (_policies):
            policies_item = Policy.from_dict(policies_item_data)



            policies.append(policies_item)


        queue = []
        _queue = d.pop("queue")
        for queue_item_data in (_queue):
            queue_item = SystemSnapshot.from_dict(queue_item_data)



            queue.append(queue_item)


        requests = []
        _requests = d.pop("requests")
        for requests_item_data in (_requests):
            requests_item = RequestPoint.from_dict(requests_item_data)



            requests.append(requests_item)


        routes = []
        _routes = d.pop("routes")
        for routes_item_data in (_routes):
            routes_item = RouteStats.from_dict(routes_item_data)



            routes.append(routes_item)


        step_secs = d.pop("stepSecs")

        to = datetime.datetime.fromisoformat(d.pop("to"))




        totals = RequestStats.from_dict(d.pop("totals"))




        window = ObservabilityWindow(d.pop("window"))




        observability = cls(
            dead_letters=dead_letters,
            fleet=fleet,
            from_=from_,
            hosts=hosts,
            policies=policies,
            queue=queue,
            requests=requests,
            routes=routes,
            step_secs=step_secs,
            to=to,
            totals=totals,
            window=window,
        )


        observability.additional_properties = d
        return observability

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
