"""Golden hashes: the exports and statistics stay byte-identical.

The SHA-256 of every output below was computed once from the code before
the performance work and is written here literally. Any change of a single
byte (a rounding, a date, a column, a cell) changes a hash, so optimising
how rows and results are produced cannot silently change what they are.
Regenerate only for a deliberate, documented change of output:
``PYTHONPATH=src python tests/test_golden.py``.
"""

from __future__ import annotations

import hashlib
import io
import zoneinfo
from collections.abc import Callable
from datetime import timedelta
from functools import cache

import pytest

from programstats import (
    ExportOptions,
    Viewer,
    block_results,
    group_results,
    learner_export,
    learner_results,
    session_overview,
    write_csv,
)
from programstats.synthetic import SyntheticWorld, synthetic_world

# (learners, sessions, seed, retry_rate): small worlds of different shapes.
WORLDS: dict[str, tuple[int, int, int, float]] = {
    "small": (25, 2, 1, 0.4),
    "retries": (60, 1, 7, 1.5),
    "no-retries": (40, 3, 3, 0.0),
    "empty": (0, 1, 5, 0.4),
    "wide": (150, 4, 11, 0.9),
}


def _active_week(world: SyntheticWorld) -> ExportOptions:
    """Activity in days 3-10 of the first session: some learners in, some out."""
    since = world.sessions[0].start + timedelta(days=3)
    return ExportOptions(activity_between=(since, since + timedelta(days=7)))


OPTIONS: dict[str, Callable[[SyntheticWorld], ExportOptions]] = {
    "default": lambda _: ExportOptions(),
    "paris": lambda _: ExportOptions(timezone="Europe/Paris"),
    "new-york-zoneinfo": lambda _: ExportOptions(timezone=zoneinfo.ZoneInfo("America/New_York")),
    "decimals-2": lambda _: ExportOptions(decimals=2),
    "semicolon-bom": lambda _: ExportOptions(delimiter=";", bom=True),
    "unprotected": lambda _: ExportOptions(protect_formulas=False),
    "custom-fields": lambda _: ExportOptions(custom_fields=("Department", "Nope")),
    "activity": _active_week,
    "viewer": lambda _: ExportOptions(
        viewer=Viewer(user_id="author-1", coached_group_ids={"europe"})
    ),
    "everything": lambda world: ExportOptions(
        timezone="Asia/Tokyo",
        decimals=2,
        delimiter="\t",
        protect_formulas=False,
        activity_between=(world.sessions[0].start, world.sessions[0].end),
    ),
}

EXPORT_HASHES: dict[tuple[str, str], str] = {
    ("small", "default"): "b6741250f1868f9d128c3b469119a77a2bd89fd7669b62c8ef552a60e5bb7db1",
    ("small", "paris"): "d9156c794715e23c79ffaddb0fd846d27b2082f5d182bf28ca695c6c9cbd4644",
    (
        "small",
        "new-york-zoneinfo",
    ): "7f78b985ccd73e2cfb741e7236c9e14b972c029693a091d41596f984f6982d97",
    ("small", "decimals-2"): "2bfc24fb5c75b6a09cc6e339bf74e2d38bd53a121c50c4acd1eb7a17201617ff",
    ("small", "semicolon-bom"): "73f24e3fb47267f8252b90d43238a5eb4c0367b02d7e4473affb16c520ed06e7",
    ("small", "unprotected"): "eb7067a0830bfd5a1306c297d945db05c6a2672b5a773a8a5935307f969b8f00",
    ("small", "custom-fields"): "c4ac3ebe40eea5008ed444e06f801096a66ee8d846d416c3008550bcafdd4e17",
    ("small", "activity"): "3c933d52cb179264224bde7d8fb91ae1d056c161173e2ecc80b639b62e1b1029",
    ("small", "viewer"): "b3f213fd8b03a758a7a2230d923fa79ed4e14c8fbbfdc503cafff9f89e2ff52e",
    ("small", "everything"): "a4be46e6189f1e56b244465de92202324e8067ddbc6cc659936f664e30743847",
    ("retries", "default"): "e58a16d04ace267facd2a9b3d02ce941497804d95400451feebdfdd1046d0ce1",
    ("retries", "paris"): "9c4787a3fcdbc34647492be57da2fa752f116277f4d271734feb0ae1e7969de7",
    (
        "retries",
        "new-york-zoneinfo",
    ): "b6250ea4b80741330e3467ebfe7e37a38e717544a48c10214a045b403b42cc22",
    ("retries", "decimals-2"): "118205a1505d9bdd0aa5b062c236779441eaeef0cc6db61bcc85f4ad54ecd212",
    (
        "retries",
        "semicolon-bom",
    ): "38375a587c5876cffaf14c1141a7a5042cb586739d6814914d3f06dfa2b7691e",
    ("retries", "unprotected"): "a0b2959794218ba22cc2c09938b6cbf816e98714e25f71d8e0a9f15e8865df1b",
    (
        "retries",
        "custom-fields",
    ): "1a96fe9c28cb3972f4866e0102b7d54823d1b0cf575f3d0f8f4dcc6acf6b3405",
    ("retries", "activity"): "9fa6688c3c74610f99dfbafe5660acd4c7029ff6c1c72708f75227fff9849627",
    ("retries", "viewer"): "e58a16d04ace267facd2a9b3d02ce941497804d95400451feebdfdd1046d0ce1",
    ("retries", "everything"): "11a7e92c7193002256e12c46d174a39cc72bcf252d1f232eda4350c0f8b590ba",
    ("no-retries", "default"): "2a5dcb1ce9da0beeb01ab9b2fae73c8e2c93c39988572c94b448f03647d13add",
    ("no-retries", "paris"): "9b9509334f7700a436b37d164cb5b5a3cd557ca530251eee5f532780987a1d55",
    (
        "no-retries",
        "new-york-zoneinfo",
    ): "f5eee7fc3837e5dd1f90a7d1df0b400faea7283e6cf90d03bd53b04989258458",
    (
        "no-retries",
        "decimals-2",
    ): "ad6762306ac117ad4c167e6fa9c5e9519bac215e198ec175377cd201b8d421ed",
    (
        "no-retries",
        "semicolon-bom",
    ): "49ee549ad0cb4b76e9f79cdc732e529e9cec000029bfcea44f71d492a158d70f",
    (
        "no-retries",
        "unprotected",
    ): "09cf0a157955702436741a43776fe80676e7c9f329d4cae5fe042e3fcc3774c7",
    (
        "no-retries",
        "custom-fields",
    ): "c000e5d233baa5cf91b484f6b42a3cbebcc146706c26bdfbb7608ff38ee937ba",
    ("no-retries", "activity"): "ccd92edb98c75e10692f03e850a353b5751f8e91959adda795e853e6290110ff",
    ("no-retries", "viewer"): "c6207ba0d6ff614314d766524f248ed00b598d02e72e80392e5f4436b4401f3a",
    (
        "no-retries",
        "everything",
    ): "2b210b5d8c3da795bafde31762fdd5fd84b0777098fca99770bdd5bc37346abc",
    ("empty", "default"): "ca2ff1892d403a9726f0729ac9ccca6cc2e0fea44a6726fe0fc13f1da8d0e62a",
    ("empty", "paris"): "ca2ff1892d403a9726f0729ac9ccca6cc2e0fea44a6726fe0fc13f1da8d0e62a",
    (
        "empty",
        "new-york-zoneinfo",
    ): "ca2ff1892d403a9726f0729ac9ccca6cc2e0fea44a6726fe0fc13f1da8d0e62a",
    ("empty", "decimals-2"): "ca2ff1892d403a9726f0729ac9ccca6cc2e0fea44a6726fe0fc13f1da8d0e62a",
    ("empty", "semicolon-bom"): "b09f6956f55d79ba8fcb7c40ec73de1cc1b31637ddf1b6853bc3750abc858d0b",
    ("empty", "unprotected"): "ca2ff1892d403a9726f0729ac9ccca6cc2e0fea44a6726fe0fc13f1da8d0e62a",
    ("empty", "custom-fields"): "e867876ada0a0f17fe10f2b97ff2bc01f43c020f8b65ef7313fe08c3c0969531",
    ("empty", "activity"): "ca2ff1892d403a9726f0729ac9ccca6cc2e0fea44a6726fe0fc13f1da8d0e62a",
    ("empty", "viewer"): "6a1bc4107f2172fa778cc2aaf02106da0ef4b87b385931b825dc7c6055911ade",
    ("empty", "everything"): "820ae1281af297c87dc6b653959637d18178a2f1fca3c118cd969286a82ab8a3",
    ("wide", "default"): "6303b2ec467e3b515acec8c61ffa666e583f1fad4bf96fcd9289b254732a5f34",
    ("wide", "paris"): "b4e6e6b8253f767c55ee8d5365bfccf1c0a29a6b809717884de1e7c0854c1991",
    (
        "wide",
        "new-york-zoneinfo",
    ): "8e3a541670b5443f0154fe5cafe0ed66769d5b978fc96b2c64b30dd9849f823b",
    ("wide", "decimals-2"): "6456f05ead8ba37a28159b889e013c8a0dcdf726d93041bb3fb1217a398d1d9b",
    ("wide", "semicolon-bom"): "58faa63c523375531cc30268c344dc5624890421a82c699980b29916d2d81376",
    ("wide", "unprotected"): "8fae825f7234e9791eabc765e3d4c1049300a573b4c01dd9f5f2eecc6fa1d8cd",
    ("wide", "custom-fields"): "f2cc8e8790f49397cbedb11f7175e3cc4eb263adf6c0c27befb0c6475a3b214c",
    ("wide", "activity"): "46d101b5a2424f0887436ee354c366bb8d9ec9dbcea01ec6f24a8495f7fd26c7",
    ("wide", "viewer"): "c281b6c5238be3f98a94ade9c165f433c236ce84b0cb8e344a904719fd2bb82b",
    ("wide", "everything"): "0d80c12f746de5b17fb777eab6c8b804bfb40253692da8d8f065a25b9ac03b27",
}

STATISTICS_HASHES: dict[str, str] = {
    "small": "fc2605b2f74271ececb8b016abe01b7ecd443fd6f7c14d910b4c01620eee33b2",
    "retries": "12428bb94d2a00bb116ff446cb6d577fa6ec957dbeacc2feb28542fd76b4c8d0",
    "no-retries": "615a163f8a1e46df332ad09f19a4e4c9d756453df51d74f02df708d33489593d",
    "empty": "30478ba787ed7ea198b6bb7a29839d08002931f21659c97a02d44eb7444fb0c6",
    "wide": "abf14f7aeaefbae4dc9d2d7b5a7fc78dbe431294d1926997ae8740ce4d16e126",
}


@cache
def _world(name: str) -> SyntheticWorld:
    learners, sessions, seed, retry_rate = WORLDS[name]
    return synthetic_world(learners=learners, sessions=sessions, seed=seed, retry_rate=retry_rate)


def _export_hash(world: str, option: str) -> str:
    found = _world(world)
    options = OPTIONS[option](found)
    out = io.StringIO()
    write_csv(learner_export(found.sessions, found.directory, options), out, options)
    return hashlib.sha256(out.getvalue().encode("utf-8")).hexdigest()


def _statistics_hash(world: str) -> str:
    found = _world(world)
    digest = hashlib.sha256()
    for session in found.sessions:
        for value in (
            session_overview(session),
            group_results(session, found.directory),
            learner_results(session, found.directory),
            block_results(session),
        ):
            digest.update(repr(value).encode("utf-8"))
    return digest.hexdigest()


@pytest.mark.parametrize(("world", "option"), sorted(EXPORT_HASHES))
def test_export_bytes_are_unchanged(world: str, option: str) -> None:
    assert _export_hash(world, option) == EXPORT_HASHES[world, option]


@pytest.mark.parametrize("world", sorted(STATISTICS_HASHES))
def test_statistics_are_unchanged(world: str) -> None:
    assert _statistics_hash(world) == STATISTICS_HASHES[world]


def test_every_world_and_option_is_pinned() -> None:
    assert set(EXPORT_HASHES) == {(w, o) for w in WORLDS for o in OPTIONS}
    assert set(STATISTICS_HASHES) == set(WORLDS)


if __name__ == "__main__":  # pragma: no cover - regenerates the literals above
    print("EXPORT_HASHES: dict[tuple[str, str], str] = {")
    for w in WORLDS:
        for o in OPTIONS:
            print(f"    ({w!r}, {o!r}): {_export_hash(w, o)!r},")
    print("}")
    print("STATISTICS_HASHES: dict[str, str] = {")
    for w in WORLDS:
        print(f"    {w!r}: {_statistics_hash(w)!r},")
    print("}")
