"""The queue in front of the workers: a client's share, turns, the queue's bound and wait, leaving."""

from __future__ import annotations

import asyncio

import pytest

from api.admission import Admission, ServiceBusy, current_client


async def take(admission: Admission, client: str) -> tuple[str, int]:
    current_client.set(client)  # a task's own context: as the HTTP layer sets it per request
    return await admission.acquire()


def test_one_client_holds_its_share_and_another_gets_the_rest_at_once():
    async def scenario():
        admission = Admission(slots=2, per_client=1, queue_limit=10, queue_seconds=5)
        first = await take(admission, "hog")
        second = asyncio.create_task(take(admission, "hog"))  # over its share: waits
        await asyncio.sleep(0.01)
        assert not second.done() and admission.waiting == 1
        bystander = await asyncio.wait_for(take(admission, "bystander"), 0.5)
        admission.release(*first)
        assert await asyncio.wait_for(second, 0.5) == ("hog", first[1])
        return first, bystander

    first, bystander = asyncio.run(scenario())
    assert {first[1], bystander[1]} == {0, 1} and bystander[0] == "bystander"


def test_waiting_clients_take_turns_not_arrival_order():
    async def scenario():
        admission = Admission(slots=1, per_client=1, queue_limit=10, queue_seconds=5)
        held = await take(admission, "x")
        order: list[str] = []

        async def queue(client: str) -> None:
            got = await take(admission, client)
            order.append(client)
            await asyncio.sleep(0)
            admission.release(*got)

        tasks = [asyncio.create_task(queue(c)) for c in ("a", "a", "a", "b", "c")]
        await asyncio.sleep(0.01)
        admission.release(*held)
        await asyncio.gather(*tasks)
        return order

    assert asyncio.run(scenario()) == ["a", "b", "c", "a", "a"]


def test_a_full_queue_is_refused_at_once_and_a_long_wait_runs_out():
    async def scenario():
        admission = Admission(slots=1, per_client=1, queue_limit=1, queue_seconds=0.2)
        await take(admission, "a")
        waiting = asyncio.create_task(take(admission, "b"))
        await asyncio.sleep(0.01)
        with pytest.raises(ServiceBusy, match="1 queries already wait"):
            await take(admission, "c")
        with pytest.raises(ServiceBusy, match="within 0.2 s"):
            await waiting
        return admission.waiting

    assert asyncio.run(scenario()) == 0


def test_a_client_that_leaves_gives_back_its_place_and_its_slot():
    async def scenario():
        admission = Admission(slots=1, per_client=1, queue_limit=10, queue_seconds=5)
        held = await take(admission, "a")
        leaving = asyncio.create_task(take(admission, "b"))
        await asyncio.sleep(0.01)
        leaving.cancel()
        await asyncio.sleep(0.01)
        assert admission.waiting == 0
        admission.release(*held)
        return await asyncio.wait_for(take(admission, "c"), 0.5)

    assert asyncio.run(scenario()) == ("c", 0)


def test_a_free_slot_goes_to_the_client_holding_the_fewest():
    async def scenario():
        admission = Admission(slots=3, per_client=3, queue_limit=10, queue_seconds=5)
        slow = [await take(admission, "slow") for _ in range(2)]
        quick = await take(admission, "quick")
        waiting = [asyncio.create_task(take(admission, c)) for c in ("slow", "quick")]
        await asyncio.sleep(0.01)
        admission.release(*quick)  # the slow client is first in line, but holds two already
        await asyncio.sleep(0.01)
        return [task.done() for task in waiting], slow

    done, _ = asyncio.run(scenario())
    assert done == [False, True]
