"""Demo and bulk seed data for the UTMStack emulator.

demo_seed() is a small, realistic, deterministic alert set (timestamps relative
to `now`, within the last 7 days) in the v11 alert document shape of the
reference §8.3; bulk_seed() is a large set for the benchmark. Both return
{"alerts": [...], "incidents": [...], "notes": [...]} for Emulator.load_seed().
All addresses are from the documentation ranges (RFC 5737) or private ranges.
"""
import datetime
import gc
import random

SEVERITY_LABELS = {1: "Low", 2: "Medium", 3: "High"}
STATUS_LABELS = {1: "Automatic review", 2: "Open", 3: "In review", 5: "Completed"}
REVIEWED = "This alert has been evaluated by the tag rules engine"
ATTACK = "https://attack.mitre.org/techniques/"

# name, severity, category, technique, dataType, target kind, adversary kind,
# impact (C, I, A), dedup keys, description, solution, references
_RULES = [
    ("SSH brute force attempt", 2, "Credential Access",
     "T1110.001 - Brute Force: Password Guessing", "linux", "linux", "external", (2, 1, 0),
     ["adversary.ip", "target.host"],
     "Many failed SSH authentications from one source against a Linux host in a short time.",
     "Block the source address at the edge firewall, disable password logins for SSH and "
     "check the host for successful logins from the same address.",
     [ATTACK + "T1110/001/"]),
    ("Windows logon failure", 1, "Credential Access", "T1110 - Brute Force", "wineventlog",
     "windows", "internal", (1, 0, 0), ["target.user", "target.host"],
     "Repeated failed Windows logons (event 4625) for one account.",
     "Confirm with the account owner; reset the password and review the source workstation "
     "if the failures were not expected.",
     [ATTACK + "T1110/", "https://learn.microsoft.com/windows/security/threat-protection/"
      "auditing/event-4625"]),
    ("Windows logon failure from external address", 2, "Initial Access",
     "T1133 - External Remote Services", "wineventlog", "windows", "external", (2, 1, 0),
     ["adversary.ip", "target.host"],
     "Failed Windows logons (event 4625) that come from an address outside the organization.",
     "Restrict RDP and other remote services to the VPN and block the source address.",
     [ATTACK + "T1133/"]),
    ("Malware detected by Windows Defender", 3, "Malware",
     "T1204.002 - User Execution: Malicious File", "wineventlog", "windows", "none", (3, 3, 2),
     ["target.host", "lastEvent.threat"],
     "Microsoft Defender Antivirus detected a threat (event 1116) on an endpoint.",
     "Isolate the endpoint, confirm the quarantine succeeded and run a full scan; "
     "find how the file arrived.",
     [ATTACK + "T1204/002/", "https://learn.microsoft.com/microsoft-365/security/"
      "defender-endpoint/troubleshoot-microsoft-defender-antivirus"]),
    ("Suspicious PowerShell execution", 3, "Execution",
     "T1059.001 - Command and Scripting Interpreter: PowerShell", "wineventlog", "windows",
     "none", (2, 3, 1), ["target.host", "target.user"],
     "PowerShell ran an encoded or download-and-execute command line (event 4104).",
     "Review the script block log, identify the parent process and isolate the host if "
     "the command is not part of a known administration task.",
     [ATTACK + "T1059/001/"]),
    ("Port scan detected", 2, "Discovery", "T1046 - Network Service Discovery",
     "firewall-fortigate", "network", "external", (1, 0, 1), ["adversary.ip"],
     "One source contacted many ports or hosts in a short window at the perimeter firewall.",
     "Block the scanning address if it is not an authorised scanner and verify which of "
     "the probed services are exposed.",
     [ATTACK + "T1046/"]),
    ("Multiple failed Office 365 logins", 2, "Credential Access",
     "T1110.003 - Brute Force: Password Spraying", "o365", "cloud", "external", (2, 1, 0),
     ["adversary.ip", "target.user"],
     "Several failed Azure AD / Office 365 sign-ins for one or more accounts.",
     "Enforce MFA, check the sign-in logs for a later success from the same address and "
     "reset affected passwords.",
     [ATTACK + "T1110/003/"]),
    ("Possible data exfiltration", 3, "Exfiltration",
     "T1048 - Exfiltration Over Alternative Protocol", "firewall-fortigate", "windows",
     "external", (3, 1, 0), ["target.ip", "adversary.ip"],
     "An internal host sent an unusually large volume of data to an external address.",
     "Identify the process and data involved, block the destination and preserve the "
     "firewall and endpoint logs for the investigation.",
     [ATTACK + "T1048/"]),
]
DEMO_RULES = [rule[0] for rule in _RULES]

_WINDOWS = [("WIN-DC01", "10.10.1.10"), ("WIN-FS02", "10.10.1.20"),
            ("WKS-ACCT-014", "10.10.2.14"), ("WKS-HR-007", "10.10.2.7")]
_LINUX = [("web-prod-01", "10.10.3.21"), ("db-prod-02", "10.10.3.32"),
          ("bastion-01", "10.10.0.5")]
_FIREWALL = ("fw-edge-01", "10.10.0.1")
_USERS_WIN = ["administrator", "jsmith", "mgarcia", "svc_backup", "lchen"]
_USERS_LINUX = ["root", "ubuntu", "admin", "deploy", "oracle"]
_USERS_O365 = ["jsmith@contoso.example", "mgarcia@contoso.example", "lchen@contoso.example"]
_EXTERNAL = [
    ("203.0.113.45", "Netherlands", "NL", "Amsterdam", 64500, "Example Hosting B.V."),
    ("198.51.100.23", "United States", "US", "Ashburn", 64501, "Example Cloud LLC"),
    ("192.0.2.77", "Russia", "RU", "Moscow", 64502, "Example Telecom"),
    ("203.0.113.200", "China", "CN", "Shanghai", 64503, "Example Backbone"),
    ("198.51.100.150", "Brazil", "BR", "Sao Paulo", 64504, "Example Broadband"),
]
_THREATS = ["Trojan:Win32/Emotet.RPX!MTB", "Backdoor:Win32/Cobaltstrike.B",
            "HackTool:Win32/Mimikatz.D", "Ransom:Win32/LockBit.PA!MTB"]


def _now(now):
    if now is None:
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    if now.tzinfo is not None:
        now = now.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return now


def _stamp(when):
    return when.isoformat(timespec="microseconds") + "Z"


def _uuid(rng):
    """A random (version 4) UUID string drawn from `rng`, so seeds are repeatable."""
    bits = rng.getrandbits(128)
    text = "%032x" % bits
    return "%s-%s-4%s-%s%s-%s" % (text[:8], text[8:12], text[13:16], "89ab"[bits >> 62 & 3],
                                  text[17:20], text[20:])


def _sides(rule, rng):
    """(adversary, target) Side objects for one alert of `rule`."""
    kind, adv_kind = rule[5], rule[6]
    if kind == "linux":
        host, ip = rng.choice(_LINUX)
        target = {"host": host, "ip": ip, "user": rng.choice(_USERS_LINUX), "port": 22}
    elif kind == "cloud":
        target = {"host": "office365", "user": rng.choice(_USERS_O365)}
    elif kind == "network":
        host, ip = rng.choice(_WINDOWS + _LINUX)
        target = {"host": host, "ip": ip, "port": rng.choice([22, 80, 443, 445, 3389])}
    else:
        host, ip = rng.choice(_WINDOWS)
        target = {"host": host, "ip": ip, "user": rng.choice(_USERS_WIN)}
    if adv_kind == "external":
        ip, country, code, city, asn, aso = rng.choice(_EXTERNAL)
        adversary = {"ip": ip, "port": rng.randint(1024, 65535),
                     "geolocation": {"country": country, "countryCode": code, "city": city,
                                     "asn": asn, "aso": aso}}
    elif adv_kind == "internal":
        host, ip = rng.choice(_WINDOWS)
        adversary = {"host": host, "ip": ip, "user": target.get("user", "")}
    else:
        adversary = {"host": target.get("host", ""), "ip": target.get("ip", ""),
                     "user": target.get("user", "")}
    return adversary, target


def _copy(node):
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    return list(node) if isinstance(node, list) else node


def _data_source(rule, target):
    if rule[4] == "firewall-fortigate":
        return _FIREWALL[0]
    return target.get("host", "office365")


def _event(event_id, stamp, rule, data_source, adversary, target, threat):
    event = {"id": event_id, "@timestamp": stamp, "dataType": rule[4],
             "dataSource": data_source, "action": rule[0].split()[0].lower(),
             "origin": {"ip": adversary.get("ip", "")},
             "target": {"host": target.get("host", ""), "user": target.get("user", "")}}
    if threat:
        event["threat"] = threat
    return event


def make_alert(rule, when, rng, status=2, parent=None, n_events=None):
    """One v11 alert document for `rule` (a _RULES row) at datetime `when`."""
    adversary, target = (_copy(parent["adversary"]), _copy(parent["target"])) if parent \
        else _sides(rule, rng)
    data_type, data_source = rule[4], _data_source(rule, target)
    stamp = _stamp(when)
    threat = rng.choice(_THREATS) if rule[0].startswith("Malware") else None
    events = []
    for k in range(n_events or rng.randint(1, 3)):
        at = stamp if k == 0 else _stamp(when - datetime.timedelta(seconds=5 * k))
        events.append(_event(_uuid(rng), at, rule, data_source, adversary, target, threat))
    impact = {"confidentiality": rule[7][0], "integrity": rule[7][1], "availability": rule[7][2]}
    doc = {
        "@timestamp": stamp,
        "id": _uuid(rng),
        "status": status,
        "statusLabel": STATUS_LABELS[status],
        "statusObservation": REVIEWED if status != 1 else "",
        "isIncident": False,
        "incidentDetail": {"createdBy": "", "observation": "", "creationDate": "", "source": ""},
        "name": rule[0],
        "category": rule[2],
        "description": rule[9],
        "solution": rule[10],
        "technique": rule[3],
        "reference": list(rule[11]),
        "severity": rule[1],
        "severityLabel": SEVERITY_LABELS[rule[1]],
        "dataType": data_type,
        "dataSource": data_source,
        "impact": impact,
        "impactScore": sum(rule[7]),
        "adversary": adversary,
        "target": target,
        "events": events,
        "lastEvent": _event(events[0]["id"], stamp, rule, data_source, adversary, target,
                            threat),
        "tags": None,
        "notes": "",
        "tagRulesApplied": [],
        "deduplicatedBy": list(rule[8]),
        "logs": [e["id"] for e in events],
    }
    if parent is not None:
        doc["parentId"] = parent["id"]
    return doc


def demo_seed(now=None):
    """The built-in demo set: ~60 alerts over the last 7 days, 2 incidents, 2 notes."""
    now = _now(now)
    rng = random.Random(20261123)
    alerts = []
    for rule in _RULES:
        for unused_value in range(7):
            age = datetime.timedelta(minutes=rng.randint(30, 7 * 24 * 60 - 60))
            alerts.append(make_alert(rule, now - age, rng))
    alerts.sort(key=lambda a: a["@timestamp"])
    # Echoes: a later alert with the same dedup keys points at an earlier one.
    parents = [alerts[i] for i in (2, 9, 15, 22, 30, 41)]
    for parent in parents:
        rule = _RULES[DEMO_RULES.index(parent["name"])]
        when = datetime.datetime.strptime(parent["@timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")
        when = min(when + datetime.timedelta(minutes=rng.randint(5, 240)),
                   now - datetime.timedelta(minutes=1))
        alerts.append(make_alert(rule, when, rng, parent=parent))
    # The newest three are still waiting for the tag-rules engine.
    for alert in _newest(alerts, 3):
        alert.update(status=1, statusLabel=STATUS_LABELS[1], statusObservation="")
    created = now - datetime.timedelta(days=1)
    free = [a for a in alerts if a["status"] == 2 and "parentId" not in a
            and a not in parents and a["@timestamp"] < _stamp(created)]

    def pick(name, n=1):
        chosen = [a for a in free if a["name"] == name][:n]
        for alert in chosen:
            free.remove(alert)
        return chosen
    # A few that an analyst already handled, and two the tag rules marked.
    for alert in pick("Port scan detected"):
        _set_status(alert, 5, "Authorized vulnerability scan from the security team",
                    tags=["False positive"])
    for alert in pick("Windows logon failure"):
        _set_status(alert, 5, "Password reset, user confirmed the activity")
    for alert in pick("Suspicious PowerShell execution"):
        _set_status(alert, 3, "Escalated to the Windows team")
    for alert in pick("Multiple failed Office 365 logins", 2):
        alert.update(tags=["Brute force"], tagRulesApplied=[1])
    ssh = pick("SSH brute force attempt", 2)
    malware = pick("Malware detected by Windows Defender", 2)
    day, created = created.strftime("%Y%m%d%H%M"), _stamp(created)
    solution = "Sources blocked at the edge firewall; checking the hosts for logins."
    for alert in ssh:  # change-status to IN_REVIEW wrote status 3 + the solution
        _set_status(alert, 3, solution)
    incidents = [
        {"incidentName": "INC-%s SSH brute force against Linux servers" % day,
         "incidentDescription": "Password guessing over SSH from external addresses.",
         "incidentStatus": "IN_REVIEW", "incidentAssignedTo": "1",
         "incidentSolution": solution, "incidentCreatedDate": created,
         "alerts": [a["id"] for a in ssh]},
        {"incidentName": "INC-%s Malware on Windows endpoints" % day,
         "incidentDescription": "Windows Defender detections that need a follow-up scan.",
         "incidentStatus": "OPEN", "incidentCreatedDate": created,
         "alerts": [a["id"] for a in malware]},
    ]
    notes = []
    for hours, text in ((20, "Source addresses blocked at the edge firewall."),
                        (6, "No successful logins found from the same sources.")):
        notes.append({"incidentName": incidents[0]["incidentName"], "noteSendBy": "admin",
                      "noteText": text,
                      "noteSendDate": _stamp(now - datetime.timedelta(hours=hours))})
    alerts.sort(key=lambda a: a["@timestamp"])  # index order = arrival order
    return {"alerts": alerts, "incidents": incidents, "notes": notes}


def _newest(alerts, n):
    return sorted(alerts, key=lambda a: a["@timestamp"])[-n:]


def _set_status(alert, status, observation, tags=None):
    alert.update(status=status, statusLabel=STATUS_LABELS[status],
                 statusObservation=observation)
    if tags:
        alert["tags"] = tags


def bulk_seed(n_alerts=100000, n_incidents=10000, now=None):
    """A large seed: n_alerts over the last 7 days, n_incidents of ~2 alerts each."""
    now = _now(now)
    rng = random.Random(7)
    span = 7 * 24 * 3600 - 120
    enabled = gc.isenabled()
    gc.disable()  # a million small dicts: collection passes would double the time
    try:
        alerts = []
        for k in range(n_alerts):
            rule = _RULES[k % len(_RULES)]
            age = span * (n_alerts - k) / max(n_alerts, 1) + 60
            alerts.append(make_alert(rule, now - datetime.timedelta(seconds=age), rng,
                                     n_events=1))
    finally:
        if enabled:
            gc.enable()
    per = 2 if n_alerts >= 2 * n_incidents else n_alerts // max(n_incidents, 1)
    incidents = []
    for k in range(n_incidents):
        linked = [a["id"] for a in alerts[k * per:(k + 1) * per]]
        if not linked:
            break
        incidents.append({
            "incidentName": "INC-%06d %s" % (k + 1, alerts[k * per]["name"]),
            "incidentDescription": "Bulk incident %d for the benchmark." % (k + 1),
            "incidentStatus": ("OPEN", "IN_REVIEW", "COMPLETED")[k % 3],
            "alerts": linked})
    return {"alerts": alerts, "incidents": incidents, "notes": []}
