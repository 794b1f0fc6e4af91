from enum import StrEnum

class PolicyImplementation(StrEnum):
    NATIVE = "native"
    WASM = "wasm"

    def __str__(self) -> str:
        return str(self.value)
