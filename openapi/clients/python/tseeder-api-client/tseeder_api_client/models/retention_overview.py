from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.plan_retention import PlanRetention
  from ..models.retention_sweep import RetentionSweep
  from ..models.scheduled_task_state import ScheduledTaskState
  from ..models.storage_snapshot import StorageSnapshot





T = TypeVar("T", bound="RetentionOverview")



@_attrs_define
class RetentionOverview:
    """ Retention at a glance.

        Attributes:
            enabled (bool): Whether scheduled sweeps run.
            plans (list[PlanRetention]): Each plan's window.
            policy (str): What decides: `native` or `plugin <sha256>`.
            recent (list[RetentionSweep]): The newest sweeps, newest first.
            schedule (str): The sweep's cron expression (UTC).
            stored_bytes (int): Their bytes (a blob shared by several rows counts once per row).
            stored_files (int): File rows stored now.
            total_bytes_deleted (int): Bytes deleted by every sweep.
            total_files_deleted (int): Files deleted by every sweep.
            total_sweeps (int): Sweeps run.
            last_sweep (RetentionSweep | Unset): What one sweep did.
            next_run (datetime.datetime | Unset): The next scheduled sweep.
            snapshot (StorageSnapshot | Unset): A storage snapshot.
            task (ScheduledTaskState | Unset): The scheduler's state for the sweep.
     """

    enabled: bool
    plans: list[PlanRetention]
    policy: str
    recent: list[RetentionSweep]
    schedule: str
    stored_bytes: int
    stored_files: int
    total_bytes_deleted: int
    total_files_deleted: int
    total_sweeps: int
    last_sweep: RetentionSweep | Unset = UNSET
    next_run: datetime.datetime | Unset = UNSET
    snapshot: StorageSnapshot | Unset = UNSET
    task: ScheduledTaskState | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_retention import PlanRetention # noqa: PLC0415
        from ..models.retention_sweep import RetentionSweep # noqa: PLC0415
        from ..models.scheduled_task_state import ScheduledTaskState # noqa: PLC0415
        from ..models.storage_snapshot import StorageSnapshot # noqa: PLC0415
        enabled = self.enabled

        plans = []
        for plans_item_data in self.plans:
            plans_item = plans_item_data.to_dict()
            plans.append(plans_item)



        policy = self.policy

        recent = []
        for recent_item_data in self.recent:
            recent_item = recent_item_data.to_dict()
            recent.append(recent_item)



        schedule = self.schedule

        stored_bytes = self.stored_bytes

        stored_files = self.stored_files

        total_bytes_deleted = self.total_bytes_deleted

        total_files_deleted = self.total_files_deleted

        total_sweeps = self.total_sweeps

        last_sweep: dict[str, Any] | Unset = UNSET
        if not isinstance(self.last_sweep, Unset):
            last_sweep = self.last_sweep.to_dict()

        next_run: str | Unset = UNSET
        if not isinstance(self.next_run, Unset):
            next_run = self.next_run.isoformat()

        snapshot: dict[str, Any] | Unset = UNSET
        if not isinstance(self.snapshot, Unset):
            snapshot = self.snapshot.to_dict()

        task: dict[str, Any] | Unset = UNSET
        if not isinstance(self.task, Unset):
            task = self.task.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "enabled": enabled,
            "plans": plans,
            "policy": policy,
            "recent": recent,
            "schedule": schedule,
            "storedBytes": stored_bytes,
            "storedFiles": stored_files,
            "totalBytesDeleted": total_bytes_deleted,
            "totalFilesDeleted": total_files_deleted,
            "totalSweeps": total_sweeps,
        })
        if last_sweep is not UNSET:
            field_dict["lastSweep"] = last_sweep
        if next_run is not UNSET:
            field_dict["nextRun"] = next_run
        if snapshot is not UNSET:
            field_dict["snapshot"] = snapshot
        if task is not UNSET:
            field_dict["task"] = task

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_retention import PlanRetention # noqa: PLC0415
        from ..models.retention_sweep import RetentionSweep # noqa: PLC0415
        from ..models.scheduled_task_state import ScheduledTaskState # noqa: PLC0415
        from ..models.storage_snapshot import StorageSnapshot # noqa: PLC0415
        d = dict(src_dict)
        enabled = d.pop("enabled")

        plans = []
        _plans = d.pop("plans")
        for plans_item_data in (_plans):
            plans_item = PlanRetention.from_dict(plans_item_data)



            plans.append(plans_item)


        policy = d.pop("policy")

        recent = []
        _recent = d.pop("recent")
        for recent_item_data in (_recent):
            recent_item = RetentionSweep.from_dict(recent_item_data)



            recent.append(recent_item)


        schedule = d.pop("schedule")

        stored_bytes = d.pop("storedBytes")

        stored_files = d.pop("storedFiles")

        total_bytes_deleted = d.pop("totalBytesDeleted")

        total_files_deleted = d.pop("totalFilesDeleted")

        total_sweeps = d.pop("totalSweeps")

        _last_sweep = d.pop("lastSweep", UNSET)
        last_sweep: RetentionSweep | Unset
        if isinstance(_last_sweep,  Unset):
            last_sweep = UNSET
        else:
            last_sweep = RetentionSweep.from_dict(_last_sweep)




        _next_run = d.pop("nextRun", UNSET)
        next_run: datetime.datetime | Unset
        if isinstance(_next_run,  Unset):
            next_run = UNSET
        else:
            next_run = datetime.datetime.fromisoformat(_next_run)




        _snapshot = d.pop("snapshot", UNSET)
        snapshot: StorageSnapshot | Unset
        if isinstance(_snapshot,  Unset):
            snapshot = UNSET
        else:
            snapshot = StorageSnapshot.from_dict(_snapshot)




        _task = d.pop("task", UNSET)
        task: ScheduledTaskState | Unset
        if isinstance(_task,  Unset):
            task = UNSET
        else:
            task = ScheduledTaskState.from_dict(_task)




        retention_overview = cls(
            enabled=enabled,
            plans=plans,
            policy=policy,
            recent=recent,
            schedule=schedule,
            stored_bytes=stored_bytes,
            stored_files=stored_files,
            total_bytes_deleted=total_bytes_deleted,
            total_files_deleted=total_files_deleted,
            total_sweeps=total_sweeps,
            last_sweep=last_sweep,
            next_run=next_run,
            snapshot=snapshot,
            task=task,
        )


        retention_overview.additional_properties = d
        return retention_overview

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
