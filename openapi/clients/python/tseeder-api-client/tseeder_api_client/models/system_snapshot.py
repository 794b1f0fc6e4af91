from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="SystemSnapshot")



@_attrs_define
class SystemSnapshot:
    """ The queue and the fleet at one minute.

        Attributes:
            active_jobs (int): Jobs the healthy agents ran.
            agents (int): Agents known.
            agents_up (int): Agents healthy with a fresh heartbeat.
            at (datetime.datetime): The minute.
            dead_letters (int): Messages in the dead-letter queue.
            oldest_queued_secs (int): How long the oldest queued job had waited, in seconds.
            queue_delayed (int): Job messages running or waiting to retry.
            queue_ready (int): Job messages ready to run.
            throughput_bps (int): The healthy agents' summed transfer rate, bytes per second.
     """

    active_jobs: int
    agents: int
    agents_up: int
    at: datetime.datetime
    dead_letters: int
    oldest_queued_secs: int
    queue_delayed: int
    queue_ready: int
    throughput_bps: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active_jobs = self.active_jobs

        agents = self.agents

        agents_up = self.agents_up

        at = self.at.isoformat()

        dead_letters = self.dead_letters

        oldest_queued_secs = self.oldest_queued_secs

        queue_delayed = self.queue_delayed

        queue_ready = self.queue_ready

        throughput_bps = self.throughput_bps


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "activeJobs": active_jobs,
            "agents": agents,
            "agentsUp": agents_up,
            "at": at,
            "deadLetters": dead_letters,
            "oldestQueuedSecs": oldest_queued_secs,
            "queueDelayed": queue_delayed,
            "queueReady": queue_ready,
            "throughputBps": throughput_bps,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active_jobs = d.pop("activeJobs")

        agents = d.pop("agents")

        agents_up = d.pop("agentsUp")

        at = datetime.datetime.fromisoformat(d.pop("at"))




        dead_letters = d.pop("deadLetters")

        oldest_queued_secs = d.pop("oldestQueuedSecs")

        queue_delayed = d.pop("queueDelayed")

        queue_ready = d.pop("queueReady")

        throughput_bps = d.pop("throughputBps")

        system_snapshot = cls(
            active_jobs=active_jobs,
            agents=agents,
            agents_up=agents_up,
            at=at,
            dead_letters=dead_letters,
            oldest_queued_secs=oldest_queued_secs,
            queue_delayed=queue_delayed,
            queue_ready=queue_ready,
            throughput_bps=throughput_bps,
        )


        system_snapshot.additional_properties = d
        return system_snapshot

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
