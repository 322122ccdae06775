"""Where uploaded files (candidates' photos) live: the local disk under var/media by
default, an S3-compatible object store when ``S3_BUCKET`` is set, so that any app server
behind the load balancer reads what another one stored.

    S3_BUCKET=yikao-photos S3_ENDPOINT_URL=https://oss.example.cn \
    S3_ACCESS_KEY_ID=… S3_SECRET_ACCESS_KEY=… S3_REGION=cn-north-1 make run

Objects are private (no public ACL, no public URL): photos reach a browser only through
the app's own views, which check who is asking. boto3 is imported by django-storages when
the first file is stored, not at start-up.
"""

from collections.abc import Mapping

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def default_storage_config(environ: Mapping[str, str]) -> dict:
    """``STORAGES["default"]`` for this environment."""
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        return dict(FILESYSTEM)
    options = {
        "bucket_name": bucket,
        "location": environ.get("S3_PREFIX", "").strip("/"),
        "default_acl": None,  # the bucket's own (private) policy
        "querystring_auth": True,  # any URL it makes expires; the app never hands one out
        "file_overwrite": False,  # a name taken gets a suffix, never replaces a photo
        "signature_version": "s3v4",
    }
    for option, name in (
        ("endpoint_url", "S3_ENDPOINT_URL"),  # MinIO, OSS, COS … (unset: AWS)
        ("region_name", "S3_REGION"),
        ("access_key", "S3_ACCESS_KEY_ID"),
        ("secret_key", "S3_SECRET_ACCESS_KEY"),
    ):
        if environ.get(name):
            options[option] = environ[name]
    if environ.get("S3_ADDRESSING_STYLE"):  # "path" for most self-hosted stores
        options["addressing_style"] = environ["S3_ADDRESSING_STYLE"]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
