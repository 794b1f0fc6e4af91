from enum import StrEnum

class Severity(StrEnum):
    CRITICAL = "critical"
    INFO = "info"
    WARN = "warn"

    def __str__(self) -> str:
        return str(self.value)
