"""Plain value classes for the answer path: equality, repr and (frozen) hashing over named fields, as
``dataclasses`` gives them, without importing ``dataclasses`` (with ``inspect`` and ``ast`` it costs a
cold ``spinekg classify`` tens of milliseconds). Each class writes its own ``__init__`` (fast, explicit)."""
from __future__ import annotations


class Record:
    """Mutable record: ``FIELDS`` name what equality and repr compare and show (unhashable, as a dataclass)."""

    FIELDS: tuple[str, ...] = ()
    __hash__ = None  # type: ignore[assignment]

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS) + ")"


class FrozenRecord(Record):
    """Immutable, hashable record (set the fields in ``__init__`` with ``object.__setattr__``)."""

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._values())
