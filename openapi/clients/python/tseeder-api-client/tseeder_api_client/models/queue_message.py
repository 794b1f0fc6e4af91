from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.queue_state import QueueState
from ..types import UNSET, Unset
from typing import cast
from uuid import UUID
import datetime

if TYPE_CHECKING:
  from ..models.delivery_error import DeliveryError





T = TypeVar("T", bound="QueueMessage")



@_attrs_define
class QueueMessage:
    """ A message of the durable queue.

        Attributes:
            attempts (int): Deliveries so far.
            created_at (datetime.datetime): Creation time.
            errors (list[DeliveryError]): Every failed delivery, oldest first.
            id (UUID): The id.
            max_attempts (int): Deliveries allowed before dead-lettering.
            queue (str): Queue name.
            state (QueueState): Whether a queue message can still be delivered.
            visible_at (datetime.datetime): Next possible delivery.
            dead_at (datetime.datetime | Unset): When it was dead-lettered.
            job_id (UUID | Unset): The job it is about.
            last_error (str | Unset): The latest error.
     """

    attempts: int
    created_at: datetime.datetime
    errors: list[DeliveryError]
    id: UUID
    max_attempts: int
    queue: str
    state: QueueState
    visible_at: datetime.datetime
    dead_at: datetime.datetime | Unset = UNSET
    job_id: UUID | Unset = UNSET
    last_error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.delivery_error import DeliveryError # noqa: PLC0415
        attempts = self.attempts

        created_at = self.created_at.isoformat()

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)



        id = str(self.id)

        max_attempts = self.max_attempts

        queue = self.queue

        state = self.state.value

        visible_at = self.visible_at.isoformat()

        dead_at: str | Unset = UNSET
        if not isinstance(self.dead_at, Unset):
            dead_at = self.dead_at.isoformat()

        job_id: str | Unset = UNSET
        if not isinstance(self.job_id, Unset):
            job_id = str(self.job_id)

        last_error = self.last_error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "createdAt": created_at,
            "errors": errors,
            "id": id,
            "maxAttempts": max_attempts,
            "queue": queue,
            "state": state,
            "visibleAt": visible_at,
        })
        if dead_at is not UNSET:
            field_dict["deadAt"] = dead_at
        if job_id is not UNSET:
            field_dict["jobId"] = job_id
        if last_error is not UNSET:
            field_dict["lastError"] = last_error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delivery_error import DeliveryError # noqa: PLC0415
        d = dict(src_dict)
        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        errors = []
        _errors = d.pop("errors")
        for errors_item_data in (_errors):
            errors_item = DeliveryError.from_dict(errors_item_data)



            errors.append(errors_item)


        id = UUID(d.pop("id"))




        max_attempts = d.pop("maxAttempts")

        queue = d.pop("queue")

        state = QueueState(d.pop("state"))




        visible_at = datetime.datetime.fromisoformat(d.pop("visibleAt"))




        _dead_at = d.pop("deadAt", UNSET)
        dead_at: datetime.datetime | Unset
        if isinstance(_dead_at,  Unset):
            dead_at = UNSET
        else:
            dead_at = datetime.datetime.fromisoformat(_dead_at)




        _job_id = d.pop("jobId", UNSET)
        job_id: UUID | Unset
        if isinstance(_job_id,  Unset):
            job_id = UNSET
        else:
            job_id = UUID(_job_id)




        last_error = d.pop("lastError", UNSET)

        queue_message = cls(
            attempts=attempts,
            created_at=created_at,
            errors=errors,
            id=id,
            max_attempts=max_attempts,
            queue=queue,
            state=state,
            visible_at=visible_at,
            dead_at=dead_at,
            job_id=job_id,
            last_error=last_error,
        )


        queue_message.additional_properties = d
        return queue_message

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
