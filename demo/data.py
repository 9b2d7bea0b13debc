"""The demo data set: clearly fictitious people and organisations (see `manage.py seed_demo`).

Every address uses a reserved `.invalid` domain, every name starts with "Demo", and every
agency and organisation says it is fictitious, so nobody mistakes a demo record for a real one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_DOMAIN = "demo.saferhub.invalid"
# Applicants from this (fictitious) agency domain are flagged as allow-listed in the queue.
ALLOWLISTED_DOMAIN = "police.demo-agency.invalid"
ALLOWLISTED_AGENCY = "Demo Northern Police Agency (fictitious)"

# JSON roles (`--accounts-json`); the expired officer has none and is only printed.
COORDINATOR = "coordinator"
VERIFIED_OFFICER = "verified-officer"
PENDING_OFFICER = "pending-officer"
EXPIRED_OFFICER = "expired-officer"
PROVIDER_ADMIN = "provider-admin"
PROVIDER_MEMBER = "provider-member"
JSON_ROLES = (COORDINATOR, VERIFIED_OFFICER, PENDING_OFFICER, PROVIDER_ADMIN, PROVIDER_MEMBER)


@dataclass(frozen=True)
class DemoCoordinator:
    email: str
    name: str


@dataclass(frozen=True)
class DemoOfficer:
    email: str
    name: str
    status: str  # one of VERIFIED_OFFICER, PENDING_OFFICER, EXPIRED_OFFICER
    country: str
    agency: str
    unit: str
    position: str
    reason: str
    # Pending: how long ago the application arrived. Verified/expired: how long ago approved.
    days_ago: int = 0


@dataclass(frozen=True)
class DemoMember:
    email: str
    name: str
    is_admin: bool


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str  # providers.models.Organisation.Kind value
    country: str
    website: str
    approved: bool
    accepts_terms: bool
    members: tuple[DemoMember, ...] = field(default_factory=tuple)


COORDINATORS = (
    DemoCoordinator(f"coordinator@{DEMO_DOMAIN}", "Demo Coordinator Lina Okafor"),
    DemoCoordinator(f"coordinator2@{DEMO_DOMAIN}", "Demo Coordinator Mateo Rossi"),
)

_UNIT = "Online Child Protection Unit (fictitious)"
_REASON = "Demo account: I investigate online child sexual exploitation and want to compare tools for my unit."

OFFICERS = (
    DemoOfficer(
        f"officer@{DEMO_DOMAIN}",
        "Demo Officer Amina Haddad",
        VERIFIED_OFFICER,
        "JO",
        "Demo Public Security Directorate (fictitious)",
        _UNIT,
        "Digital forensics investigator",
        _REASON,
        days_ago=40,
    ),
    DemoOfficer(
        f"officer-ke@{DEMO_DOMAIN}",
        "Demo Officer Wanjiru Kamau",
        VERIFIED_OFFICER,
        "KE",
        "Demo National Police Service (fictitious)",
        _UNIT,
        "Detective sergeant",
        _REASON,
        days_ago=120,
    ),
    DemoOfficer(
        f"officer-br@{DEMO_DOMAIN}",
        "Demo Officer Rafael Souza",
        VERIFIED_OFFICER,
        "BR",
        "Demo Federal Police (fictitious)",
        "Cybercrime Division (fictitious)",
        "Federal agent",
        _REASON,
        days_ago=200,
    ),
    DemoOfficer(
        f"officer-ph@{DEMO_DOMAIN}",
        "Demo Officer Maria Santos",
        VERIFIED_OFFICER,
        "PH",
        "Demo Anti-Cybercrime Group (fictitious)",
        _UNIT,
        "Victim identification analyst",
        _REASON,
        days_ago=15,
    ),
    DemoOfficer(
        f"officer-no@{DEMO_DOMAIN}",
        "Demo Officer Ingrid Berg",
        VERIFIED_OFFICER,
        "NO",
        "Demo National Criminal Investigation Service (fictitious)",
        _UNIT,
        "Senior investigator",
        _REASON,
        # Verified long ago: the verification expires within a month, so renewal is offered.
        days_ago=350,
    ),
    DemoOfficer(
        f"officer-ca@{DEMO_DOMAIN}",
        "Demo Officer Daniel Tremblay",
        VERIFIED_OFFICER,
        "CA",
        "Demo Provincial Police (fictitious)",
        "Internet Child Exploitation Unit (fictitious)",
        "Constable",
        _REASON,
        days_ago=90,
    ),
    DemoOfficer(
        f"applicant@{ALLOWLISTED_DOMAIN}",
        "Demo Applicant Sofia Lindqvist",
        PENDING_OFFICER,
        "SE",
        ALLOWLISTED_AGENCY,
        _UNIT,
        "Investigator",
        _REASON,
        days_ago=2,
    ),
    DemoOfficer(
        f"applicant-in@{DEMO_DOMAIN}",
        "Demo Applicant Priya Nair",
        PENDING_OFFICER,
        "IN",
        "Demo State Cyber Cell (fictitious)",
        _UNIT,
        "Inspector",
        _REASON,
        days_ago=9,
    ),
    DemoOfficer(
        f"applicant-ma@{DEMO_DOMAIN}",
        "Demo Applicant Youssef El Amrani",
        PENDING_OFFICER,
        "MA",
        "Demo Judicial Police (fictitious)",
        _UNIT,
        "Police officer",
        _REASON,
        days_ago=21,
    ),
    DemoOfficer(
        f"expired-officer@{DEMO_DOMAIN}",
        "Demo Officer Tomasz Nowak",
        EXPIRED_OFFICER,
        "PL",
        "Demo Central Cybercrime Bureau (fictitious)",
        _UNIT,
        "Investigator",
        _REASON,
        days_ago=400,
    ),
)

ORGANISATIONS = (
    DemoOrganisation(
        "Demo Company Lumensift Analytics (fictitious)",
        "company",
        "NL",
        "https://lumensift.example",
        approved=True,
        accepts_terms=True,
        members=(
            DemoMember("admin@lumensift.demo.invalid", "Demo Provider Admin Jonas Weber", True),
            DemoMember("member@lumensift.demo.invalid", "Demo Provider Member Chloé Martin", False),
        ),
    ),
    DemoOrganisation(
        "Demo University Northbridge Child Safety Lab (fictitious)",
        "academic",
        "GB",
        "https://northbridge-lab.example",
        approved=True,
        accepts_terms=True,
        members=(
            DemoMember("admin@northbridge-lab.demo.invalid", "Demo Provider Admin Grace Adeyemi", True),
            DemoMember("member@northbridge-lab.demo.invalid", "Demo Provider Member Omar Farouk", False),
        ),
    ),
    DemoOrganisation(
        "Demo Non-profit Brightpath Signals (fictitious)",
        "non-profit",
        "ZA",
        "https://brightpath-signals.example",
        approved=True,
        accepts_terms=True,
        members=(DemoMember("admin@brightpath.demo.invalid", "Demo Provider Admin Thandi Mokoena", True),),
    ),
    DemoOrganisation(
        "Demo Collective Open Triage Works (fictitious)",
        "other",
        "SG",
        "https://open-triage.example",
        approved=True,
        accepts_terms=True,
        members=(DemoMember("admin@open-triage.demo.invalid", "Demo Provider Admin Wei Ling Tan", True),),
    ),
    DemoOrganisation(
        # Approved, but nobody accepted the provider terms yet: shows that state.
        "Demo Company Harbourline Vision (fictitious)",
        "company",
        "CA",
        "https://harbourline.example",
        approved=True,
        accepts_terms=False,
        members=(DemoMember("admin@harbourline.demo.invalid", "Demo Provider Admin Lucas Gagnon", True),),
    ),
    DemoOrganisation(
        # Waiting for a coordinator's approval.
        "Demo Company Quillstone Labs (fictitious)",
        "company",
        "AU",
        "https://quillstone.example",
        approved=False,
        accepts_terms=False,
        members=(DemoMember("admin@quillstone.demo.invalid", "Demo Provider Admin Ruby Clarke", True),),
    ),
)

# Demo terms, one Markdown file per audience in demo/terms/.
TERMS_VERSION = "demo-1.0"
TERMS_TITLES = {
    "providers": "Demo terms for technology providers (not the official terms)",
    "law-enforcement": "Demo terms for law-enforcement users (not the official terms)",
    "data-protection": "Demo data protection policy (not the official policy)",
}
