import pytest


@pytest.mark.django_db
def test_me_requires_login(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录。"}


@pytest.mark.django_db
def test_me_returns_masked_basic_info(client, candidate):
    client.force_login(candidate.user)
    body = client.get("/api/v1/me").json()
    assert body["full_name"] == candidate.full_name
    assert body["id_number_masked"] == candidate.id_number[:4] + "*" * 10 + candidate.id_number[-4:]
    assert candidate.id_number not in str(body) and candidate.mobile not in str(body)
    assert body["gender_label"] == "男"


@pytest.mark.django_db
def test_openapi_schema_lists_me(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
