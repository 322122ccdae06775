"""Photos in an S3-compatible object store: what one app server stores, another reads.

The store is moto's S3 server on a loopback port, spoken to over HTTP by the same
django-storages/boto3 code as production's object store.
"""

import socket

import pytest
from django.urls import reverse
from factories import make_candidate, make_photo

from yikao.core.storage import FILESYSTEM, default_storage_config

BUCKET = "yikao-photos-test"


def test_without_a_bucket_files_stay_on_the_local_disk():
    assert default_storage_config({}) == FILESYSTEM
    assert default_storage_config({"S3_BUCKET": "  "}) == FILESYSTEM


def test_a_bucket_selects_the_s3_backend_with_private_objects():
    config = default_storage_config(
        {"S3_BUCKET": "b", "S3_ENDPOINT_URL": "https://oss.example.cn", "S3_PREFIX": "/photos/"}
    )
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "b" and options["location"] == "photos"
    assert options["endpoint_url"] == "https://oss.example.cn"
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert "access_key" not in options  # from the instance's role when not given


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server_module = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    port = _free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    endpoint, client = s3_endpoint
    settings.STORAGES = {
        **settings.STORAGES,
        "default": default_storage_config({
            "S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test",
            "S3_PREFIX": "media", "S3_ADDRESSING_STYLE": "path",
        }),
    }  # fmt: skip
    return client


@pytest.mark.django_db
def test_a_photo_is_stored_in_the_bucket_and_served_to_its_owner_only(client, s3_storage):
    candidate = make_candidate()
    photo = make_photo(candidate)
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert f"media/{photo.image.name}" in keys
    stored = s3_storage.get_object(Bucket=BUCKET, Key=f"media/{photo.image.name}")
    assert stored["Body"].read() == b"\xff\xd8test"

    client.force_login(candidate.user)
    response = client.get(reverse("photos:current"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8test"

    client.force_login(make_candidate().user)
    assert client.get(reverse("photos:image", args=[photo.pk])).status_code == 404


@pytest.mark.django_db
def test_a_photo_missing_from_the_bucket_is_a_404_not_a_500(client, s3_storage):
    candidate = make_candidate()
    photo = make_photo(candidate)
    s3_storage.delete_object(Bucket=BUCKET, Key=f"media/{photo.image.name}")
    client.force_login(candidate.user)
    assert client.get(reverse("photos:current")).status_code == 404
