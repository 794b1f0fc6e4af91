from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.alert_severity import AlertSeverity
from typing import cast
import datetime






T = TypeVar("T", bound="Alert")



@_attrs_define
class Alert:
    """ Something an operator should look at, computed from the system's state.

        Attributes:
            at (datetime.datetime): When it was last seen.
            code (str): Stable identifier of the condition (`plugin.router.failing`, `plugin.retention.refused`,
                `workers.stale`).
            message (str): What is wrong.
            severity (AlertSeverity): How urgent an alert is.
     """

    at: datetime.datetime
    code: str
    message: str
    severity: AlertSeverity
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        code = self.code

        message = self.message

        severity = self.severity.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "code": code,
            "message": message,
            "severity": severity,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        code = d.pop("code")

        message = d.pop("message")

        severity = AlertSeverity(d.pop("severity"))




        alert = cls(
            at=at,
            code=code,
            message=message,
            severity=severity,
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
