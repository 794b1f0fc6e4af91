from enum import StrEnum

class SourceKind(StrEnum):
    MAGNET = "magnet"
    TORRENT = "torrent"

    def __str__(self) -> str:
        return str(self.value)
