from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.policy_implementation import PolicyImplementation
from ..models.policy_kind import PolicyKind
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.policy_failure import PolicyFailure





T = TypeVar("T", bound="Policy")



@_attrs_define
class Policy:
    """ One policy: native or plugin, the plugin's file and hash, and its counters since start.

        Attributes:
            decisions (int): Decisions asked of the plugin.
            failures (int): Decisions that failed and took the fallback (native routing; retention deletes nothing).
            implementation (PolicyImplementation): What decides a policy now.
            invalid_outputs (int): Failures by unusable answers.
            kind (PolicyKind): Which decision a policy makes.
            memory_exceeded (int): Failures by memory limit.
            swaps (int): Plugin versions swapped in since start.
            timeouts (int): Failures by deadline.
            traps (int): Failures by other traps.
            last_failure (PolicyFailure | Unset): A failed decision or a refused plugin version.
            last_refusal (PolicyFailure | Unset): A failed decision or a refused plugin version.
            loaded_at (datetime.datetime | Unset): When the active plugin was loaded.
            path (str | Unset): The plugin file (the configured one while none is active).
            sha256 (str | Unset): SHA-256 of the active plugin.
     """

    decisions: int
    failures: int
    implementation: PolicyImplementation
    invalid_outputs: int
    kind: PolicyKind
    memory_exceeded: int
    swaps: int
    timeouts: int
    traps: int
    last_failure: PolicyFailure | Unset = UNSET
    last_refusal: PolicyFailure | Unset = UNSET
    loaded_at: datetime.datetime | Unset = UNSET
    path: str | Unset = UNSET
    sha256: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.policy_failure import PolicyFailure # noqa: PLC0415
        decisions = self.decisions

        failures = self.failures

        implementation = self.implementation.value

        invalid_outputs = self.invalid_outputs

        kind = self.kind.value

        memory_exceeded = self.memory_exceeded

        swaps = self.swaps

        timeouts = self.timeouts

        traps = self.traps

        last_failure: dict[str, Any] | Unset = UNSET
        if not isinstance(self.last_failure, Unset):
            last_failure = self.last_failure.to_dict()

        last_refusal: dict[str, Any] | Unset = UNSET
        if not isinstance(self.last_refusal, Unset):
            last_refusal = self.last_refusal.to_dict()

        loaded_at: str | Unset = UNSET
        if not isinstance(self.loaded_at, Unset):
            loaded_at = self.loaded_at.isoformat()

        path = self.path

        sha256 = self.sha256


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "decisions": decisions,
            "failures": failures,
            "implementation": implementation,
            "invalidOutputs": invalid_outputs,
            "kind": kind,
            "memoryExceeded": memory_exceeded,
            "swaps": swaps,
            "timeouts": timeouts,
            "traps": traps,
        })
        if last_failure is not UNSET:
            field_dict["lastFailure"] = last_failure
        if last_refusal is not UNSET:
            field_dict["lastRefusal"] = last_refusal
        if loaded_at is not UNSET:
            field_dict["loadedAt"] = loaded_at
        if path is not UNSET:
            field_dict["path"] = path
        if sha256 is not UNSET:
            field_dict["sha256"] = sha256

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_failure import PolicyFailure # noqa: PLC0415
        d = dict(src_dict)
        decisions = d.pop("decisions")

        failures = d.pop("failures")

        implementation = PolicyImplementation(d.pop("implementation"))




        invalid_outputs = d.pop("invalidOutputs")

        kind = PolicyKind(d.pop("kind"))




        memory_exceeded = d.pop("memoryExceeded")

        swaps = d.pop("swaps")

        timeouts = d.pop("timeouts")

        traps = d.pop("traps")

        _last_failure = d.pop("lastFailure", UNSET)
        last_failure: PolicyFailure | Unset
        if isinstance(_last_failure,  Unset):
            last_failure = UNSET
        else:
            last_failure = PolicyFailure.from_dict(_last_failure)




        _last_refusal = d.pop("lastRefusal", UNSET)
        last_refusal: PolicyFailure | Unset
        if isinstance(_last_refusal,  Unset):
            last_refusal = UNSET
        else:
            last_refusal = PolicyFailure.from_dict(_last_refusal)




        _loaded_at = d.pop("loadedAt", UNSET)
        loaded_at: datetime.datetime | Unset
        if isinstance(_loaded_at,  Unset):
            loaded_at = UNSET
        else:
            loaded_at = datetime.datetime.fromisoformat(_loaded_at)




        path = d.pop("path", UNSET)

        sha256 = d.pop("sha256", UNSET)

        policy = cls(
            decisions=decisions,
            failures=failures,
            implementation=implementation,
            invalid_outputs=invalid_outputs,
            kind=kind,
            memory_exceeded=memory_exceeded,
            swaps=swaps,
            timeouts=timeouts,
            traps=traps,
            last_failure=last_failure,
            last_refusal=last_refusal,
            loaded_at=loaded_at,
            path=path,
            sha256=sha256,
        )


        policy.additional_properties = d
        return policy

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
