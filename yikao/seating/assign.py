"""Seat assignment for one 考点: who sits in which room and seat (issue 21, item 2).

Pure Python (standard library only) so that it can be tested and timed without Django; the
Django side turns registrations and rooms into `Seatee` and `RoomSpec`, records the seed
and stores the returned `Plan`.

Order of placement
    1. Inputs are sorted by key (seatees and rooms), so the caller's order never matters.
    2. Re-run only (`previous` given): every seatee whose previous seat is still valid keeps
       it, taken in key order (the room still exists, the seat is within its capacity, a
       ``needs_access`` seatee is still on an accessible seat, and no lower key already
       kept that seat). Nobody kept is ever moved to improve adjacency or balance. One
       exception, for accessibility only: when a ``needs_access`` seatee finds no free
       accessible seat, a kept seatee without that need who sits on one gives it up and is
       re-placed (and so listed in `moved`); otherwise the need would go unmet while a
       walking candidate holds the only usable seat.
    3. ``needs_access`` seatees, in key order: each goes to the room with a free accessible
       seat that is least full after taking them (fill = seated / capacity; tie: lower
       room key), on its lowest free accessible seat. None left: `unplaced`.
    4. Everyone else: how many go to each room is decided by water-filling — one seat at
       a time to the room whose fill after the addition is lowest (tie: lower room key).
       In each room the seats taken are the lowest free seat numbers, ordinary seats
       before accessible ones. If there are more seatees than seats, those who already had
       a seat come first, then lower keys; the rest are `unplaced`.
    5. Who goes to which room: seatees are grouped by work unit (largest unit first) and
       dealt onto the rooms' seats in an interleaved order, so each unit is spread over
       the rooms in proportion to their share, not piled into one.
    6. Inside a room, seats are filled in number order; each seat takes a member of the
       unit with the most members still waiting that has no member on a neighbouring seat
       (the "reorganise a string" greedy, which keeps the choice open longest). Only when
       every waiting unit is a neighbour is a conflict accepted.
    7. Bounded improving swaps: for each seatee still next to a colleague, the swap (with
       another seatee placed in this run, in any room) that removes most conflicts is
       made; passes repeat until none helps or `SWAP_BUDGET` evaluations are spent.
       Swaps keep every room's count and seat numbers, so balance and contiguity stay.

Tie breaks and the seed
    `random.Random(seed)` is the only source of chance; it shuffles the key-sorted
    seatees once (that order ranks equally large units and orders a unit's members) and
    later picks swap candidates in large plans. The global `random` and the iteration
    order of sets and dicts are never used for a decision, so the same inputs and seed
    give the same plan; another seed usually gives another arrangement (the same room
    counts and seat numbers, other people on them).

Why contiguous seats
    A real 考场 fills seats 1..k: the 门贴 (door list) and 桌贴 (desk labels) are one run,
    proctors count from the front, and empty seats sit together at the back. So balance
    decides how many seats a room uses, and adjacency is solved by who sits where, never
    by leaving gaps. The only gaps: spare accessible seats are used last, kept in reserve
    for a late candidate who needs one (who, by rule 2, could not displace anybody else),
    and seats freed on a re-run, which new seatees fill first (lowest free seat).

Neighbours and conflicts
    Seat n is at row (n-1)//columns, column (n-1)%columns. Neighbours are left/right in
    the row and front/back in the column (no diagonals). `Plan.conflicts` counts the
    neighbouring pairs of the same non-empty unit over the whole plan, kept seats included.
    An empty unit ("" = unknown) never conflicts.

Complexity
    O(n log n + r log r) for n seatees and r rooms (sorting, the water-filling heap, one
    heap per room), plus at most `SWAP_BUDGET` constant-time swap evaluations. Measured
    on one loaded core: 10,000 seatees in 300 rooms in 0.14-0.33 s with 0 conflicts; the
    worst (one unit holding most seatees, so the budget is spent) about 1.3 s; a re-run
    0.1 s. Figures in tests/seating/test_assign.py::test_ten_thousand_in_three_hundred_rooms_is_fast.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Upper bound on swap evaluations; keeps a hopeless plan (one unit fills a room) fast.
SWAP_BUDGET = 100_000
# Beyond this many movable seatees, a conflicted seatee tries a random sample, not all.
SWAP_CANDIDATES = 96


@dataclass(frozen=True)
class Seatee:
    key: int  # the registration id
    unit: str = ""  # the work unit's key ("" = unknown: never counts as the same unit)
    needs_access: bool = False  # must get an accessible seat


@dataclass(frozen=True)
class RoomSpec:
    key: int  # the room id
    capacity: int  # seats 1..capacity
    columns: int = 6  # seats per row
    accessible: frozenset[int] = frozenset()  # accessible seat numbers


@dataclass(frozen=True)
class Seat:
    room: int
    seat: int


@dataclass
class Plan:
    seats: dict[int, Seat]  # seatee key -> seat
    moved: list[int]  # keys whose seat differs from `previous` (sorted; seated now)
    unplaced: list[int]  # keys without a seat (sorted)
    conflicts: int  # same-unit neighbouring pairs left
    # How many seatees each room holds, by room key (handy for the staff page).
    counts: dict[int, int] = field(default_factory=dict)


def neighbours(room: RoomSpec, seat: int) -> list[int]:
    """The seats next to `seat` in `room`: left/right in its row, front/back in its
    column, only those within 1..capacity; ascending."""
    if not 1 <= seat <= room.capacity:
        return []
    column = (seat - 1) % room.columns
    found = []
    if seat - room.columns >= 1:
        found.append(seat - room.columns)
    if column > 0:
        found.append(seat - 1)
    if column < room.columns - 1 and seat + 1 <= room.capacity:
        found.append(seat + 1)
    if seat + room.columns <= room.capacity:
        found.append(seat + room.columns)
    return found


def assign(
    seatees: Iterable[Seatee],
    rooms: Iterable[RoomSpec],
    *,
    seed: int,
    previous: Mapping[int, Seat] | None = None,
) -> Plan:
    """Seat `seatees` in `rooms` (see the module docstring for the rules)."""
    return _Assignment(seatees, rooms, seed, previous or {}).run()


class _Room:
    """A room while the plan is being built: who sits where, and which seats are free."""

    def __init__(self, spec: RoomSpec, index: int) -> None:
        self.spec = spec
        self.index = index
        self.accessible = frozenset(s for s in spec.accessible if 1 <= s <= spec.capacity)
        self.occupant: list[int | None] = [None] * (spec.capacity + 1)  # seat -> seatee
        self.seated = 0
        self.around = [neighbours(spec, s) for s in range(spec.capacity + 1)]

    def take(self, seat: int, who: int) -> None:
        self.occupant[seat] = who
        self.seated += 1

    def free_seats(self) -> list[int]:
        """Free seats in the order ordinary seatees take them: ordinary before accessible,
        each ascending."""
        free = [s for s in range(1, self.spec.capacity + 1) if self.occupant[s] is None]
        return [s for s in free if s not in self.accessible] + [
            s for s in free if s in self.accessible
        ]


def _check(seatees: list[Seatee], rooms: list[RoomSpec]) -> None:
    if len({s.key for s in seatees}) != len(seatees):
        raise ValueError("seatee keys must be unique")
    if len({r.key for r in rooms}) != len(rooms):
        raise ValueError("room keys must be unique")
    for room in rooms:
        if room.capacity < 0 or room.columns < 1:
            raise ValueError(f"room {room.key}: capacity >= 0 and columns >= 1 required")


class _Assignment:
    def __init__(self, seatees, rooms, seed, previous) -> None:
        self.people = sorted(seatees, key=lambda s: s.key)
        specs = sorted(rooms, key=lambda r: r.key)
        _check(self.people, specs)
        self.rooms = [_Room(spec, i) for i, spec in enumerate(specs)]
        self.room_by_key = {room.spec.key: room for room in self.rooms}
        self.previous = previous
        self.rng = random.Random(seed)
        # where[i] = (room, seat) of self.people[i], or None.
        self.where: list[tuple[_Room, int] | None] = [None] * len(self.people)
        self.movable: list[int] = []  # people placed in this run (may be swapped)
        # Units as comparable group ids: a known unit is its string; an unknown unit is
        # the person's own index (an int never equals a str), so it never conflicts.
        self.group = [p.unit if p.unit else i for i, p in enumerate(self.people)]
        self.unplaced: list[int] = []

    # -- the steps -------------------------------------------------------------------

    def run(self) -> Plan:
        order = list(range(len(self.people)))
        self.rng.shuffle(order)
        self.rank = [0] * len(order)  # person index -> position in the seeded shuffle
        for position, i in enumerate(order):
            self.rank[i] = position
        waiting_access, waiting = self.keep_previous()
        self.seat_access(waiting_access, waiting)
        self.seat_others(waiting)
        self.improve()
        return self.plan()

    def keep_previous(self) -> tuple[list[int], list[int]]:
        """Step 2: keep every still-valid previous seat. Returns who still needs a seat
        (needs_access, others), previously seated first, then by key."""
        had_seat, new = [], []
        for i, person in enumerate(self.people):
            old = self.previous.get(person.key)
            room = self.room_by_key.get(old.room) if old is not None else None
            if room is not None and self.valid(person, room, old.seat):
                room.take(old.seat, i)
                self.where[i] = (room, old.seat)
            else:
                (had_seat if old is not None else new).append(i)
        waiting = had_seat + new
        access = [i for i in waiting if self.people[i].needs_access]
        others = [i for i in waiting if not self.people[i].needs_access]
        return access, others

    def valid(self, person: Seatee, room: _Room, seat: int) -> bool:
        if not isinstance(seat, int) or not 1 <= seat <= room.spec.capacity:
            return False
        if person.needs_access and seat not in room.accessible:
            return False
        return room.occupant[seat] is None

    def seat_access(self, waiting_access: list[int], waiting: list[int]) -> None:
        """Step 3: needs_access seatees on accessible seats, least-full room first."""
        for i in sorted(waiting_access, key=lambda i: self.people[i].key):
            spot = self.free_accessible_seat() or self.evict_for_access(waiting)
            if spot is None:
                self.unplaced.append(i)
                continue
            room, seat = spot
            room.take(seat, i)
            self.where[i] = (room, seat)
            self.movable.append(i)

    def free_accessible_seat(self) -> tuple[_Room, int] | None:
        best = None
        for room in self.rooms:
            free = [s for s in sorted(room.accessible) if room.occupant[s] is None]
            if free:
                fill = (room.seated + 1) / room.spec.capacity
                if best is None or fill < best[0]:
                    best = (fill, room, free[0])
        return None if best is None else (best[1], best[2])

    def evict_for_access(self, waiting: list[int]) -> tuple[_Room, int] | None:
        """An accessible seat held by a kept seatee without the need: free it (lowest
        room key, lowest seat) and send that seatee back to the waiting list."""
        for room in self.rooms:
            for seat in sorted(room.accessible):
                holder = room.occupant[seat]
                if holder is not None and not self.people[holder].needs_access:
                    room.occupant[seat] = None
                    room.seated -= 1
                    self.where[holder] = None
                    waiting.insert(0, holder)  # had a seat: first in line again
                    return room, seat
        return None

    def seat_others(self, waiting: list[int]) -> None:
        """Steps 4-6: room counts by water-filling, the deal, the greedy per room."""
        free = {room.index: room.free_seats() for room in self.rooms}
        total_free = sum(len(seats) for seats in free.values())
        placed = waiting[:total_free]
        self.unplaced.extend(waiting[total_free:])
        extra = self.water_fill(len(placed), free)
        slots = []  # (position in the interleaved order, room index, slot number)
        for room in self.rooms:
            k = extra[room.index]
            slots.extend(((2 * j + 1) / (2 * k), room.index, j) for j in range(k))
        slots.sort()
        dealt: dict[int, list[int]] = {room.index: [] for room in self.rooms}
        for person, (_, room_index, _) in zip(self.grouped(placed), slots, strict=True):
            dealt[room_index].append(person)
        for room in self.rooms:
            seats = sorted(free[room.index][: extra[room.index]])
            self.fill_room(room, seats, dealt[room.index])

    def water_fill(self, count: int, free: dict[int, list[int]]) -> dict[int, int]:
        """How many more seatees each room takes: one at a time to the room whose fill
        after taking one more is lowest (tie: lower room key)."""
        extra = {room.index: 0 for room in self.rooms}
        heap = [
            ((room.seated + 1) / room.spec.capacity, room.index)
            for room in self.rooms
            if free[room.index]
        ]
        heapq.heapify(heap)
        for _ in range(count):
            _, index = heapq.heappop(heap)
            extra[index] += 1
            room = self.rooms[index]
            if extra[index] < len(free[index]):
                fill = (room.seated + extra[index] + 1) / room.spec.capacity
                heapq.heappush(heap, (fill, index))
        return extra

    def grouped(self, people: list[int]) -> list[int]:
        """People ordered unit by unit: larger units first, equal sizes by the seeded
        rank of their first member, members in seeded order."""
        units: dict[object, list[int]] = {}
        for i in sorted(people, key=self.rank.__getitem__):
            units.setdefault(self.group[i], []).append(i)
        blocks = sorted(units.values(), key=lambda m: (-len(m), self.rank[m[0]]))
        return [i for block in blocks for i in block]

    def fill_room(self, room: _Room, seats: list[int], people: list[int]) -> None:
        """Step 6: seats in number order; each takes a member of the largest waiting unit
        not already next to it."""
        members: dict[object, list[int]] = {}
        for i in sorted(people, key=self.rank.__getitem__):
            members.setdefault(self.group[i], []).append(i)
        heap = [(-len(m), self.rank[m[0]], g) for g, m in members.items()]
        heapq.heapify(heap)
        heads = {g: 0 for g in members}  # next member to seat, per unit
        for seat in seats:
            near = {self.group[o] for o in self.occupants_near(room, seat)}
            skipped = []
            while heap and heap[0][2] in near:
                skipped.append(heapq.heappop(heap))
            entry = heapq.heappop(heap) if heap else skipped.pop(0)  # forced: conflict
            for other in skipped:
                heapq.heappush(heap, other)
            left, order, g = entry
            person = members[g][heads[g]]
            heads[g] += 1
            if left + 1 < 0:
                heapq.heappush(heap, (left + 1, order, g))
            room.take(seat, person)
            self.where[person] = (room, seat)
            self.movable.append(person)

    def occupants_near(self, room: _Room, seat: int) -> list[int]:
        return [o for s in room.around[seat] if (o := room.occupant[s]) is not None]

    # -- step 7: improving swaps -------------------------------------------------------

    def clashes(self, room: _Room, seat: int, group: object, ignore: int = 0) -> int:
        """Neighbours of `seat` from unit `group`, not counting seat `ignore`."""
        if not isinstance(group, str):
            return 0
        return sum(
            1
            for s in room.around[seat]
            if s != ignore and (o := room.occupant[s]) is not None and self.group[o] == group
        )

    def swap_gain(self, x: int, y: int) -> int:
        """Conflicts removed by swapping x and y (negative: added); -1 if not allowed."""
        (rx, sx), (ry, sy) = self.where[x], self.where[y]
        gx, gy = self.group[x], self.group[y]
        if gx == gy:
            return 0
        if self.people[x].needs_access and sy not in ry.accessible:
            return -1
        if self.people[y].needs_access and sx not in rx.accessible:
            return -1
        same = rx is ry
        ix, iy = (sy if same else 0), (sx if same else 0)
        before = self.clashes(rx, sx, gx, ix) + self.clashes(ry, sy, gy, iy)
        after = self.clashes(rx, sx, gy, ix) + self.clashes(ry, sy, gx, iy)
        return before - after

    def improve(self) -> None:
        movable = sorted(self.movable, key=lambda i: self.people[i].key)
        budget = SWAP_BUDGET
        improved = True
        while improved and budget > 0:
            improved = False
            conflicted = [x for x in movable if self.conflicts_of(x)]
            for x in conflicted:
                if budget <= 0:
                    break
                if not self.conflicts_of(x):
                    continue
                if len(movable) <= SWAP_CANDIDATES:
                    candidates = movable
                else:
                    candidates = self.rng.sample(movable, SWAP_CANDIDATES)
                best, best_gain = None, 0
                for y in candidates:
                    gain = self.swap_gain(x, y)
                    if gain > best_gain:
                        best, best_gain = y, gain
                budget -= len(candidates)
                if best is not None:
                    self.swap(x, best)
                    improved = True

    def conflicts_of(self, x: int) -> int:
        room, seat = self.where[x]
        return self.clashes(room, seat, self.group[x])

    def swap(self, x: int, y: int) -> None:
        (rx, sx), (ry, sy) = self.where[x], self.where[y]
        rx.occupant[sx], ry.occupant[sy] = y, x
        self.where[x], self.where[y] = (ry, sy), (rx, sx)

    # -- the result --------------------------------------------------------------------

    def plan(self) -> Plan:
        seats, moved = {}, []
        for i, person in enumerate(self.people):
            if self.where[i] is None:
                continue
            room, seat = self.where[i]
            seats[person.key] = Seat(room.spec.key, seat)
            old = self.previous.get(person.key)
            if old is not None and old != seats[person.key]:
                moved.append(person.key)
        conflicts = sum(
            self.clashes(room, seat, self.group[o])
            for room in self.rooms
            for seat in range(1, room.spec.capacity + 1)
            if (o := room.occupant[seat]) is not None
        )
        return Plan(
            seats=seats,
            moved=sorted(moved),
            unplaced=sorted(self.people[i].key for i in self.unplaced),
            conflicts=conflicts // 2,  # each pair was counted from both ends
            counts={room.spec.key: room.seated for room in self.rooms},
        )
