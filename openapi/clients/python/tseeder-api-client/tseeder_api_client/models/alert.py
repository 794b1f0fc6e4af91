from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.alert_section import AlertSection
from ..models.alert_severity import AlertSeverity
from typing import cast
import datetime






T = TypeVar("T", bound="Alert")



@_attrs_define
class Alert:
    """ Something an operator should look at, computed from the system's state.

        Attributes:
            code (str): Stable identifier of the condition: `plugin.<kind>.failing`, `plugin.<kind>.refused`,
                `workers.stale`, `region.<region>.no_healthy_agent`, `queue.oldest_job`,
                `dead_letters.growing`, `storage.capacity`, `scheduler.<task>.missed`.
            message (str): What is wrong.
            section (AlertSection): The part of the system an alert is about.
            severity (AlertSeverity): How urgent an alert is.
            since (datetime.datetime): Since when the condition holds (for a plugin, its latest failure or refusal).
     """

    code: str
    message: str
    section: AlertSection
    severity: AlertSeverity
    since: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        section = self.section.value

        severity = self.severity.value

        since = self.since.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "message": message,
            "section": section,
            "severity": severity,
            "since": since,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        section = AlertSection(d.pop("section"))




        severity = AlertSeverity(d.pop("severity"))




        since = datetime.datetime.fromisoformat(d.pop("since"))




        alert = cls(
            code=code,
            message=message,
            section=section,
            severity=severity,
            since=since,
        )


        alert.additional_properties = d
        return alert

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
