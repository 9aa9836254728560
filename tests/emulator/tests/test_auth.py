"""Authentication and authorization (reference §1.2)."""
from emulator.tests.emu_helpers import API_KEY, Api, assert_boot_error, assert_header_error

from emulator import Emulator

INCIDENTS = "/api/utm-incidents"


def login(anon, username="admin", password="utmstack-admin", bypass=True):
    headers = {"X-Bypass-TFA": "true"} if bypass else {}
    return anon.post("/api/authenticate", json={"username": username, "password": password},
                     headers=headers)


def test_api_key_header_authenticates(api):
    assert api.get(INCIDENTS).status_code == 200


def test_missing_credentials_give_boot_401_json(anon):
    response = anon.get(INCIDENTS)
    body = assert_boot_error(response, 401, INCIDENTS)
    assert body["error"] == "Unauthorized"
    assert response.headers["Content-Type"] == "application/json"


def test_unknown_path_needs_auth_before_404(anon, api):
    assert anon.get("/api/no-such-thing").status_code == 401
    body = assert_boot_error(api.get("/api/no-such-thing"), 404, "/api/no-such-thing")
    assert body["error"] == "Not Found"


def test_unknown_api_key_is_500_and_blacklisted_until_reset(emulator, anon):
    response = anon.get(INCIDENTS, headers={"Utm-Api-Key": "late-key"})
    body = assert_boot_error(response, 500, INCIDENTS)
    assert body["error"] == "Internal Server Error"
    emulator.api_keys["late-key"] = "admin"
    try:
        assert anon.get(INCIDENTS, headers={"Utm-Api-Key": "late-key"}).status_code == 500
        emulator.reset(seed="empty")
        assert anon.get(INCIDENTS, headers={"Utm-Api-Key": "late-key"}).status_code == 200
    finally:
        del emulator.api_keys["late-key"]


def test_bad_api_key_fails_even_on_public_path(anon):
    """ApiKeyFilter runs for every request, before the URL rules."""
    assert anon.get("/api/ping", headers={"Utm-Api-Key": "nope"}).status_code == 500


def test_ping_is_public(anon):
    response = anon.get("/api/ping")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["Content-Length"] == "0"


def test_login_with_bypass_returns_v11_body_and_full_token(anon):
    response = login(anon)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["success", "tfaConfigured", "forceTfa", "method", "token",
                          "tfaExpiresInSeconds"]
    assert "Authorization" not in response.headers and "id_token" not in body
    headers = {"Authorization": "Bearer " + body["token"]}
    assert anon.get(INCIDENTS, headers=headers).status_code == 200


def test_login_without_bypass_gives_pre_verification_token(anon):
    token = login(anon, bypass=False).json()["token"]
    response = anon.get(INCIDENTS, headers={"Authorization": "Bearer " + token})
    body = assert_boot_error(response, 403, INCIDENTS)
    assert body["error"] == "Forbidden"
    assert anon.get("/api/ping", headers={"Authorization": "Bearer " + token}).status_code == 200


def test_verify_code_turns_pre_verification_into_full_token(emulator, anon):
    token = login(anon, bypass=False).json()["token"]
    headers = {"Authorization": "Bearer " + token, "Content-Type": "text/plain"}
    wrong = anon.post("/api/tfa/verify-code", data="000000", headers=headers)
    assert_header_error(wrong, 412)
    response = anon.post("/api/tfa/verify-code", data=emulator.tfa_code, headers=headers)
    assert response.status_code == 200
    full = response.json()["id_token"]
    assert response.headers["Authorization"] == "Bearer " + full
    assert anon.get(INCIDENTS, headers={"Authorization": "Bearer " + full}).status_code == 200


def test_access_token_query_parameter(anon):
    token = login(anon).json()["token"]
    assert anon.get(INCIDENTS, params={"access_token": token}).status_code == 200


def test_bad_password_is_401_with_header(anon):
    assert_header_error(login(anon, password="wrong-password"), 401, "Bad credentials", "")


def test_unknown_user_is_401(anon):
    assert login(anon, username="ghost").status_code == 401


def test_login_validation_failure_is_500(anon):
    response = anon.post("/api/authenticate", json={"username": "admin", "password": "x"})
    assert_header_error(response, 500, "Validation failed")


def test_bearer_carrying_api_key_is_401(anon):
    """Docs: the key may be sent as Authorization: Bearer. The JWT filter rejects it."""
    response = anon.get(INCIDENTS, headers={"Authorization": "Bearer " + API_KEY})
    assert_boot_error(response, 401, INCIDENTS)


def test_garbage_token_stays_anonymous(anon):
    assert anon.get(INCIDENTS, headers={"Authorization": "Bearer a.b.c"}).status_code == 401


def test_user_role_can_call_incident_endpoints(analyst_api):
    assert analyst_api.get(INCIDENTS).status_code == 200


def test_admin_only_paths_refuse_user_role(analyst_api, api):
    assert analyst_api.get("/api/utm-incident-jobs").status_code == 403
    assert api.get("/api/utm-incident-jobs").status_code == 404  # not emulated, but allowed


def test_user_without_admin_or_user_role_gets_403():
    users = [{"id": 9, "login": "odd", "password": "odd-pass", "authorities": ["ROLE_OTHER"]}]
    with Emulator(api_keys={"k": "odd"}, users=users, seed="empty") as emu:
        client = Api(emu.url, {"Utm-Api-Key": "k"})
        assert client.get(INCIDENTS).status_code == 403


def test_restart_invalidates_tokens():
    with Emulator(seed="empty") as emu:
        token = login(Api(emu.url, {})).json()["token"]
        emu.stop()
        emu.start()
        client = Api(emu.url, {"Authorization": "Bearer " + token})
        assert client.get(INCIDENTS).status_code == 401
