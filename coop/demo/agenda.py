"""The demo year's proposals, as data: what each circle put to a vote, how, and how it went.

Every method (yes/no, consent, approval, ranked choice, Schulze) ends the year in every
state: drafted, open (closing in 2027, so the demo's open proposals stay open when
someone explores it later), closed passed or decided, closed failed, and withdrawn.
Votes are listed as the ballots cast, by members of the circle chosen when voting
opens; none of them needs a tie-break, so the same story is told on every load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def at(text: str) -> datetime:
    """Return "2026-01-12 09:30" as a UTC moment."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Objection:
    """A consent ballot that objects, and what became of the objection."""

    by: str
    reason: str
    resolution: str | None = None  # "amended", "ruled_out", or None: still open
    answer: str = ""  # the amended text, or why it was ruled out
    note: str = ""  # a note on an amendment
    then_consents: bool = False  # the objector changes their ballot afterwards


@dataclass(frozen=True)
class Item:
    """One proposal's story."""

    circle: str
    author: str
    method: str
    title: str
    text: str
    drafted: datetime
    options: tuple[str, ...] = ()
    opens: datetime | None = None
    closes: datetime | None = None
    rules: dict[str, Any] = field(default_factory=dict)
    votes: tuple[Any, ...] = ()
    objection: Objection | None = None
    closed_early: tuple[datetime, str] | None = None  # (when, steward)
    withdrawn: tuple[datetime, str] | None = None  # (when, reason)
    edited: tuple[datetime, str] | None = None  # (when, the new text) of a draft
    not_voting: tuple[str, ...] = ()  # members who leave it to the last minute


# Who delegates their vote, in which circle, to whom, and when; then what changes.
DELEGATIONS: tuple[tuple[datetime, str, str, str | None], ...] = (
    (at("2026-01-05 19:12"), "riverside", "Chiara Bianchi", "Lars Eriksson"),
    (at("2026-01-06 08:47"), "food", "Mei Lin Chen", "Ada Okafor"),
    (at("2026-01-06 12:30"), "food", "Olivier Dubois", "Sofia Rossi"),
    (at("2026-01-07 17:05"), "repair", "Yusuf Demir", "Nadia Petrova"),
    # Amara delegates to Emma, who delegates to Lucía: Lucía carries both votes.
    (at("2026-01-08 10:20"), "digital", "Amara Nwosu", "Emma O'Brien"),
    (at("2026-01-08 16:44"), "digital", "Emma O'Brien", "Lucía Morales"),
    (at("2026-08-03 09:15"), "food", "Mei Lin Chen", "Fatima Zahra Benali"),
    (at("2026-09-14 20:02"), "riverside", "Chiara Bianchi", None),  # revoked
)

AGENDA: tuple[Item, ...] = (
    # -- yes / no / abstain ----------------------------------------------------------
    Item("riverside", "Mateo Álvarez", "yes_no",
         "Buy a second-hand bandsaw for the workshop",
         "Jonas found a Startrite 352 bandsaw, serviced and with a new blade, for "
         "EUR 1,150. Our small bandsaw cannot resaw anything over 10 cm, and three members "
         "are turning down work because of it. Proposal: buy it from the workshop budget "
         "and add it to the induction.",
         at("2025-11-24 09:40"), opens=at("2025-11-26 10:05"), closes=at("2025-12-05 18:00"),
         rules={"quorum": "1/2", "threshold": "1/2", "strict": True, "base": "yes+no",
                "delegation": True},
         votes=("yes", "yes", "yes", "yes", "yes", "no", "no", "abstain")),
    Item("food", "Sofia Rossi", "yes_no",
         "Rent a shared cold room at the wholesale market",
         "The market has a 12 m² cold room free at EUR 240 a month on a one-year lease. "
         "Shared between the circle, it would let us buy dairy and vegetables in bulk. "
         "Because it commits the circle for a year, it needs two thirds of the votes.",
         at("2026-01-08 14:10"), opens=at("2026-01-12 10:00"), closes=at("2026-01-23 17:00"),
         rules={"quorum": "1/2", "threshold": "2/3", "strict": False, "base": "yes+no",
                "secret": True, "hidden_results": True},
         votes=("yes", "yes", "yes", "no", "no")),
    Item("repair", "Jonas Weber", "yes_no",
         "Buy a soldering station for the electrics table",
         "Half of the lamps and radios brought to the Repair Café need soldering, and we "
         "share one borrowed iron. A temperature-controlled station costs EUR 180.",
         at("2026-03-16 11:25"), opens=at("2026-03-18 09:00"), closes=at("2026-03-31 18:00"),
         rules={"quorum": "1/2", "threshold": "1/2", "strict": True, "base": "yes+no",
                "allow_early_close": True},
         votes=("yes", "yes", "yes", "yes", "yes"),
         closed_early=(at("2026-03-23 12:10"), "Lars Eriksson")),
    Item("digital", "Lucía Morales", "yes_no",
         "Adopt a shared code of conduct for client projects",
         "A one-page code for joint client work: how we split work, credit each other "
         "and handle a client who does not pay. It binds every member who takes on joint "
         "work, so at least two thirds of the circle should vote.",
         at("2026-03-23 15:00"), opens=at("2026-03-30 09:00"), closes=at("2026-04-10 17:00"),
         rules={"quorum": "2/3", "threshold": "1/2", "strict": True, "base": "yes+no"},
         votes=("yes", "yes", "yes", "yes", "no")),
    Item("digital", "Aisha Rahman", "yes_no",
         "Ask clients for a 30% deposit on joint projects",
         "Two clients paid months late last year. Proposal: every joint project starts "
         "with a 30% deposit.",
         at("2026-04-01 10:30"), opens=at("2026-04-07 10:00"), closes=at("2026-04-17 17:00"),
         rules={"quorum": "1/2"}, votes=("yes", "no"),
         withdrawn=(at("2026-04-10 11:30"), "Superseded: the working group is drafting a "
                    "contract template that covers deposits.")),
    Item("repair", "Nadia Petrova", "yes_no",
         "Move the Repair Café to the second Sunday of the month",
         "The community centre's hall is free on second Sundays from January, and "
         "Sundays suit families better than our Saturday slot.",
         at("2026-10-06 18:40"), opens=at("2026-10-12 09:00"), closes=at("2027-01-31 17:00"),
         rules={"quorum": "1/2", "threshold": "1/2", "strict": True, "base": "yes+no",
                "delegation": True, "allow_early_close": True},
         votes=("yes", "yes", "no"), not_voting=("Mateo Álvarez",)),
    Item("riverside", "Tomasz Kowalski", "yes_no",
         "Late fees for tools kept past their return date",
         "Tools from the library come back weeks late. Proposal: EUR 1 a day after the "
         "return date, paid into the tool-repair fund.",
         at("2026-10-20 08:55"),
         edited=(at("2026-10-22 19:30"), "Tools from the library come back weeks late. "
                 "Proposal: after a week's grace, EUR 1 a day, paid into the tool-repair "
                 "fund; waived for members who ask for more time before the date.")),
    # -- consent ---------------------------------------------------------------------
    Item("riverside", "Kwame Mensah", "consent",
         "Open the workshop on Saturday mornings",
         "Open the Riverside workshop from 9:00 to 13:00 on Saturdays, for members who "
         "work weekdays.",
         at("2026-01-09 12:00"), opens=at("2026-01-13 09:00"), closes=at("2026-01-27 18:00"),
         rules={"quorum": "1/3"},
         votes=("consent", "consent", "consent", "consent", "consent", "consent"),
         objection=Objection(
             "Tomasz Kowalski", "Who supervises the saws on Saturdays? Without a key-holder "
             "who has done the induction, nobody should use the machines.",
             "amended", "Open the Riverside workshop from 9:00 to 13:00 on Saturdays, for "
             "members who work weekdays, with a named key-holder on a monthly rota. The "
             "machines are used only while the key-holder is in.",
             note="A key-holder rota, and machines only while they are in.",
             then_consents=True)),
    Item("food", "Fatima Zahra Benali", "consent",
         "A fixed price list for catering network events",
         "Catering for network events at a fixed price per head: EUR 9 for a lunch, "
         "EUR 4 for coffee and pastries, ingredients at cost.",
         at("2026-03-02 09:20"), opens=at("2026-03-09 10:00"), closes=at("2026-03-20 17:00"),
         rules={"quorum": "1/2"}, votes=("consent", "consent", "consent", "consent"),
         objection=Objection(
             "Olivier Dubois", "Coffee and pastries at cost would undercut members' own cafés "
             "at events. I can consent once drinks are left out of the price list.")),
    Item("digital", "Priya Raman", "consent",
         "Publish our day rates on the network site",
         "Each member of the circle publishes a day rate for joint work, so clients can "
         "budget before they call.",
         at("2026-05-04 13:45"), opens=at("2026-05-11 09:00"), closes=at("2026-05-22 17:00"),
         rules={"quorum": "1/2"},
         votes=("consent", "consent", "consent", "consent", "consent"),
         objection=Objection(
             "Amara Nwosu", "Translation rates depend on the language pair and subject; one "
             "published rate would mislead clients.",
             "ruled_out", "Rates are published as 'from' prices, with a line saying they "
             "vary with the language pair and subject.")),
    Item("food", "Diego Fernández", "consent",
         "One shared delivery van rota for bulk orders",
         "From February, the circle's bulk orders are collected by one member's van on a "
         "weekly rota instead of everyone driving to the wholesaler.",
         at("2026-10-13 07:50"), opens=at("2026-10-19 09:00"), closes=at("2027-01-28 17:00"),
         rules={"quorum": "1/2", "hidden_results": True},
         votes=("consent", "consent", "consent"), not_voting=("Ada Okafor",),
         objection=Objection(
             "Sofia Rossi", "The rota leaves out Saturday market days, when bakers need "
             "the van most.")),
    Item("digital", "Emma O'Brien", "consent",
         "Rotate who answers the joint enquiries inbox",
         "Each week one member answers enquiries to the circle's shared address and "
         "passes them on within two working days.",
         at("2026-10-05 11:15")),
    Item("repair", "Kwame Mensah", "consent",
         "Charge EUR 2 per repair towards spare parts",
         "Visitors pay EUR 2 per repair, so that fuses, cables and zips are paid for.",
         at("2026-02-10 16:30"),
         withdrawn=(at("2026-02-16 10:05"), "The community centre will pay for spare "
                    "parts this year.")),
    # -- approval --------------------------------------------------------------------
    Item("riverside", "Jonas Weber", "approval",
         "Which evening for the monthly members' night?",
         "A monthly evening in the workshop for members' own projects. Tick every "
         "evening you could usually make.",
         at("2026-01-26 10:10"), options=("Monday", "Tuesday", "Wednesday", "Thursday"),
         opens=at("2026-02-02 09:15"), closes=at("2026-02-13 18:00"),
         votes=([1, 2], [2], [1, 2, 3], [2, 3], [0, 2], [1], [2], [3])),
    Item("digital", "Priya Raman", "approval",
         "Topics for the spring skills-sharing sessions",
         "Four lunchtime sessions in April and May, each led by a member. Tick the "
         "topics you would come to.",
         at("2026-02-09 12:40"),
         options=("Accessibility audits", "Invoicing and VAT", "Pitching to larger clients",
                  "Photography for the web", "Negotiating contracts"),
         opens=at("2026-02-16 10:00"), closes=at("2026-02-27 17:00"),
         rules={"quorum": "2/3", "secret": True},
         votes=([0, 1], [0, 2, 3], [1], [0, 4])),
    Item("food", "Leila Haddad", "approval",
         "Menu for the winter assembly buffet (January 2027)",
         "The food circle caters the network's winter assembly. Tick every menu you "
         "would be glad to cook or eat; the most approved is served.",
         at("2026-10-08 15:20"),
         options=("Sourdough and soup", "Mezze platters", "Tagine and couscous", "Pasta bar",
                  "Dumplings"),
         opens=at("2026-10-14 10:00"), closes=at("2027-01-22 17:00"),
         rules={"hidden_results": True},
         votes=([1, 2], [0, 1], [1, 4], [2]), not_voting=("Ada Okafor",)),
    Item("riverside", "Mateo Álvarez", "approval",
         "Activities for the workshop's open day",
         "The open day in spring: which activities should we run for visitors?",
         at("2026-10-26 20:15"),
         options=("Build a bird box", "Bike maintenance basics", "Turn a wooden bowl",
                  "Screen-print a tote bag")),
    Item("repair", "Kwame Mensah", "approval",
         "Which day for the summer outdoor repair stall?",
         "The Saturday market offers us a stall for one day in June. Tick the days you "
         "could volunteer.",
         at("2026-04-27 19:05"),
         options=("Saturday 13 June", "Sunday 14 June", "Saturday 20 June"),
         opens=at("2026-05-04 10:00"), closes=at("2026-05-15 17:00"), rules={"secret": True},
         votes=([0, 1], [2]),
         withdrawn=(at("2026-05-08 13:40"), "The market cancelled this summer's stall "
                    "pitches.")),
    # -- ranked choice (instant runoff) ----------------------------------------------
    Item("riverside", "Ada Okafor", "irv",
         "First project for the 2026 workshop budget",
         "The workshop budget can fund one of these in the first quarter. Rank them; "
         "the runoff finds the project most members can support.",
         at("2025-12-01 11:20"),
         options=("Dust extraction system", "A second workbench", "Tool library lockers",
                  "A wheelchair-accessible entrance ramp"),
         opens=at("2025-12-03 09:30"), closes=at("2025-12-14 18:00"), rules={"quorum": "1/2"},
         votes=([3, 0], [3, 0], [3, 0], [0, 3], [0, 3], [1, 0], [1, 0], [2], [0])),
    Item("digital", "Samuel Adeyemi", "irv",
         "A project-management tool for joint projects",
         "We lose track of who does what on joint projects. Rank the tools we tried.",
         at("2026-01-14 09:30"),
         options=("Plane", "Taiga", "Kanboard", "A shared spreadsheet"),
         opens=at("2026-01-19 09:00"), closes=at("2026-01-30 17:00"),
         rules={"quorum": "1/2", "secret": True}, votes=([0, 1], [0, 2], [1, 0])),
    Item("riverside", "Lars Eriksson", "irv",
         "Where should the second workshop be?",
         "The Riverside workshop is full most evenings. Three places could take a second "
         "one from next summer; rank them.",
         at("2026-09-28 17:35"),
         options=("The old print works on Mill Lane", "Unit 4 at Canal Yard",
                  "Share the school's technology rooms"),
         opens=at("2026-10-05 09:00"), closes=at("2027-01-29 18:00"),
         rules={"quorum": "1/2", "secret": True, "delegation": True},
         votes=([1, 0], [0, 1], [1, 2], [2, 1, 0], [1], [0, 2]),
         not_voting=("Mateo Álvarez",)),
    Item("food", "Mei Lin Chen", "irv",
         "Charity for the winter assembly's collection",
         "The collection at the winter assembly goes to one local charity.",
         at("2026-10-21 14:05"),
         options=("Riverside Food Bank", "Canal Community Garden", "Night Shelter Kitchen")),
    Item("digital", "Samuel Adeyemi", "irv",
         "Who leads our pitch for the city council's website tender?",
         "The council's tender asks for one named lead. Rank the members who offered.",
         at("2026-09-01 10:45"), options=("Priya Raman", "Aisha Rahman", "Jan de Vries"),
         opens=at("2026-09-07 09:00"), closes=at("2026-09-18 17:00"),
         votes=([0, 1], [1, 0]),
         withdrawn=(at("2026-09-10 15:20"), "The council has postponed the tender to next "
                    "spring.")),
    # -- Schulze ---------------------------------------------------------------------
    Item("digital", "Hiroshi Tanaka", "schulze",
         "A name for our joint web agency offer",
         "We pitch for larger projects together; clients ask what to call us. Rank the "
         "names you could live with.",
         at("2026-06-01 09:05"),
         options=("Riverside Digital", "Commons Studio", "Open Works", "Kiln & Code",
                  "Cooperative Pixel"),
         opens=at("2026-06-08 10:00"), closes=at("2026-06-19 17:00"),
         rules={"quorum": "1/2", "secret": True, "delegation": True},
         votes=([1, 2, 0], [1, 2, 0], [2, 1, 3], [2, 1, 3], [1, 3], [0, 1, 2],
                [3, 1, 2, 0, 4])),
    Item("food", "Sofia Rossi", "schulze",
         "Theme for our summer street-party stall",
         "The street party asked every circle for a stall. Rank the themes.",
         at("2026-06-29 08:30"),
         options=("Bread from around the world", "Tea and cake", "Street-food tasting"),
         opens=at("2026-07-06 09:00"), closes=at("2026-07-17 17:00"),
         rules={"quorum": "2/3", "hidden_results": True},
         votes=([0, 2], [2, 0, 1], [1, 0])),
    Item("digital", "Aisha Rahman", "schulze",
         "Colour scheme for the new network website",
         "Four palettes, each checked for contrast. Rank them; the count so far is shown "
         "while voting is open.",
         at("2026-09-30 16:10"),
         options=("Forest and cream", "Rust and slate", "Canal blue and sand",
                  "Charcoal and saffron"),
         opens=at("2026-10-07 10:00"), closes=at("2027-01-26 17:00"),
         votes=([2, 0, 1], [0, 2], [2, 3, 0], [1, 2, 0, 3], [2, 0])),
    Item("riverside", "Kwame Mensah", "schulze",
         "Which tool to add to the library next",
         "The tool-repair fund can buy one more tool for the library this winter.",
         at("2026-10-15 12:25"),
         options=("Track saw", "Pillar drill", "Wood lathe", "Laser engraver")),
    Item("riverside", "Chiara Bianchi", "schulze",
         "A design for the workshop's new sign",
         "Four sketches for the sign over the workshop door. Rank them.",
         at("2026-05-25 14:50"),
         options=("Hand-lettered on wood", "Cut steel silhouette", "Painted mural",
                  "Enamel plate"),
         opens=at("2026-06-01 09:30"), closes=at("2026-06-12 17:00"),
         rules={"hidden_results": True}, votes=([2, 0], [0, 2, 1]),
         withdrawn=(at("2026-06-05 18:15"), "Marta offered to paint the sign by hand; we "
                    "will choose from her sketches instead.")),
)
