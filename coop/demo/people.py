"""The demo network's people and circles, as data.

Every name, business and prospect is invented; emails use the reserved ``.example``
domain so no message can ever reach a real inbox.
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "demo.coop.example"

# An offer as posted: title, description, tags, and the circle it is posted in
# (None: the whole network).
Offer = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class Person:
    name: str
    business: str
    trade: str  # a key of coop.demo.catalogue.TRADES: what others ask this person for
    circles: tuple[str, ...] = ()  # keys of CIRCLES, parents before children
    joins: str = "founding"  # "founding", or the month ("2026-03") they join in
    about: str = ""
    offers: tuple[Offer, ...] = ()
    steward: bool = False
    activity: int = 2  # how often they act, relative to others (1 quiet .. 6 busy)
    handle: str = ""  # the email's local part, when "first.last" would read oddly

    @property
    def email(self) -> str:
        local = self.handle or f"{self.name.split()[0]}.{self.name.split()[-1]}"
        return f"{_ascii(local)}@{DOMAIN}"

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


def _ascii(text: str) -> str:
    plain = str.maketrans("áéíóúñçãü", "aeiouncau")
    return text.lower().translate(plain).replace("'", "")


@dataclass(frozen=True)
class CircleSpec:
    key: str
    name: str
    purpose: str
    parent: str | None = None
    mandate: tuple[str, str] | None = None  # (domain, granting decision)


CIRCLES: tuple[CircleSpec, ...] = (
    CircleSpec(
        "riverside", "Riverside Makers",
        "The local chapter around the Riverside workshops: makers, repairers and trades "
        "who share tools, space and work, and run the workshop together.",
        mandate=("Running the Riverside workshop: tool library, bookings and its budget "
                 "of up to EUR 5,000 a year", "Network assembly 2025-11-12, minute 4"),
    ),
    CircleSpec(
        "digital", "Digital Services",
        "A working group of web, design, IT and writing members who pool their skills "
        "and take on larger client projects together.",
    ),
    CircleSpec(
        "food", "Food & Hospitality",
        "Bakers, growers, cooks and cafés: shared sourcing, kitchen space and catering "
        "for network events.",
        mandate=("Catering for network events and shared bulk buying of ingredients",
                 "Network assembly 2025-11-12, minute 6"),
    ),
    CircleSpec(
        "repair", "Riverside Repair Café",
        "A monthly repair café in the Riverside community centre: members fix "
        "neighbours' bikes, lamps, chairs and clothes, and teach how.",
        parent="riverside",
    ),
)

PEOPLE: tuple[Person, ...] = (
    Person("Ada Okafor", "Okafor Bookkeeping", "money", ("riverside", "food"), steward=True,
           activity=3, about="Bookkeeper for small firms for twenty years; happy to look "
           "at anyone's books over a coffee.",
           offers=(("Bookkeeping check-up for members", "An hour going through your books "
                    "and what the next quarter needs.", "bookkeeping, vat", None),)),
    Person("Lars Eriksson", "Eriksson Print & Bind", "making", ("riverside", "repair"),
           steward=True, about="Letterpress and digital printing, small runs, hand binding.",
           offers=(("Short-run printing at cost", "Flyers, zines and booklets for member "
                    "events, printed at cost.", "printing", None),)),
    Person("Mateo Álvarez", "Álvarez Joinery", "woodwork", ("riverside", "repair"),
           activity=6, about="Joiner and furniture maker. Shelves, counters, stalls, and "
           "fixing what others gave up on.",
           offers=(("Fitted shelving and small joinery", "I measure, build and fit; members "
                    "pay for timber only.", "carpentry, shelving", None),
                   ("Furniture clinic at the Repair Café", "Bring wobbly chairs and loose "
                    "drawers; I'll show you how to fix them.", "carpentry, repair", "repair"),
                   ("Workshop induction: hand and power tools", "Safe use of the workshop's "
                    "saws, routers and sanders, for new Riverside members.",
                    "carpentry, training", "riverside"))),
    Person("Priya Raman", "Raman Web Studio", "web", ("digital",), activity=4,
           about="Accessible websites for small businesses.",
           offers=(("Website health check", "Speed, accessibility and security review "
                    "with a written list of fixes.", "web, accessibility", None),
                   ("Pairing on client web work", "Stuck on a client site? I'll pair with "
                    "you for an afternoon.", "web", "digital"))),
    Person("Sofia Rossi", "Forno Rossi", "food", ("food",), activity=3,
           about="Sourdough and Italian pastries, baked before dawn.",
           offers=(("Bread and pastries for member events", "Trays of focaccia and "
                    "cornetti for meetings and open days.", "baking, catering", None),)),
    Person("Kwame Mensah", "Mensah Cycles", "bikes", ("riverside", "repair"), activity=3,
           about="Bike repairs, cargo bikes and wheel building.",
           offers=(("Bike safety check", "Brakes, gears and tyres checked in half an "
                    "hour.", "bikes, repair", None),
                   ("Bike table at the Repair Café", "Punctures, brakes and gears fixed "
                    "while you learn how.", "bikes, repair", "repair"))),
    Person("Mei Lin Chen", "Lin & Leaf Tea Room", "food", ("food",),
           about="A tea room by the canal; our back room is free for member meetings.",
           offers=(("Back room for meetings", "Seats twelve, weekday mornings, tea "
                    "included.", "venue, meetings", None),)),
    Person("Jonas Weber", "Weber Electrical", "building", ("riverside", "repair"),
           offers=(("Electrical safety check", "Sockets, fuse board and appliances "
                    "checked before an inspection.", "electrics, safety", None),)),
    Person("Amara Nwosu", "Amara Translations", "words", ("digital",),
           about="English, French and Igbo; menus, websites and contracts.",
           offers=(("Translation of short texts", "Menus, flyers and product pages "
                    "between English and French.", "translation, french", None),)),
    Person("Tomasz Kowalski", "Kowalski Plumbing & Heating", "building", ("riverside",),
           offers=(("Plumbing emergencies for members", "Leaks and blocked drains, "
                    "same day when I can.", "plumbing", None),)),
    Person("Fatima Zahra Benali", "Atlas Kitchen Catering", "food", ("food",), activity=3,
           about="Moroccan and North African catering for 10 to 200 people.",
           offers=(("Catering for network events", "Mezze and tagines for assemblies and "
                    "open days, at cost.", "catering", "food"),)),
    Person("Hiroshi Tanaka", "Tanaka Photography", "visual", ("digital",),
           offers=(("Product photography session", "Clean product shots on white, ready "
                    "for a web shop.", "photography", None),)),
    Person("Ingrid Hansen", "Hansen Legal Clinic", "money", activity=1,
           about="Contracts, leases and terms for small businesses.",
           offers=(("Half an hour of legal triage", "Tell me the problem; I'll tell you "
                    "whether you need a lawyer.", "legal, contracts", None),)),
    Person("Diego Fernández", "Huerta Verde Market Garden", "growing", ("riverside", "food"),
           offers=(("Seasonal veg boxes", "Surplus veg from the market garden for "
                    "members' kitchens.", "food, vegetables", "food"),)),
    Person("Aisha Rahman", "Rahman Design", "visual", ("digital",), activity=3,
           about="Brand identities, packaging and print design.",
           offers=(("Logo and brand review", "Honest feedback on your logo, colours and "
                    "type, with sketches.", "design, branding", None),)),
    Person("Olivier Dubois", "Dubois Coffee Roasters", "food", ("food",),
           offers=(("Coffee for member meetings", "Freshly roasted beans and a brewer "
                    "for gatherings.", "coffee", None),)),
    Person("Nadia Petrova", "Petrova Alterations", "textiles", ("riverside", "repair"),
           about="Alterations, mending and costume work.",
           offers=(("Sewing table at the Repair Café", "Hems, zips and tears mended; "
                    "bring the garment.", "sewing, repair", "repair"),)),
    Person("Samuel Adeyemi", "Adeyemi IT Support", "web", ("digital",), activity=3,
           offers=(("IT first aid", "Slow laptops, email set-up, backups and "
                    "printers.", "it, support", None),)),
    Person("Lucía Morales", "Morales Social", "words", ("digital",),
           about="Social media that sounds like you, not like an agency.",
           offers=(("Social media plan in an hour", "A month of posts planned together "
                    "over a call.", "marketing, social media", None),)),
    Person("Emma O'Brien", "O'Brien Copywriting", "words", ("digital",),
           offers=(("Proofreading and plain English", "Grant applications, websites and "
                    "leaflets made clear.", "writing, proofreading", None),)),
    Person("Yusuf Demir", "Demir Upholstery", "woodwork", ("riverside", "repair"),
           offers=(("Chair and stool reupholstery", "Foam, fabric and webbing; bring "
                    "the chair.", "upholstery", None),)),
    Person("Chiara Bianchi", "Bianchi Ceramics", "making", ("riverside",),
           offers=(("Kiln space for members", "Room in my weekly firing for members' "
                    "pieces.", "ceramics", "riverside"),)),
    Person("Kofi Boateng", "Boateng Van & Removals", "premises", activity=1,
           offers=(("Van and driver for a morning", "Market stalls, stock and small "
                    "moves across town.", "van, moving", None),)),
    Person("Elena Popescu", "Popescu Yoga Studio", "wellbeing", activity=1,
           offers=(("Stretch break for teams", "A 30-minute stretch session at your "
                    "workplace.", "yoga, wellbeing", None),)),
    Person("Ana Souza", "Brilho Cleaning Co-op", "premises", joins="2025-12",
           about="A worker-owned cleaning co-op; we use only eco products.",
           offers=(("Deep clean after building work", "Two cleaners for half a day.",
                    "cleaning", None),)),
    Person("Niamh Byrne", "Byrne Garden Design", "growing", ("riverside",), joins="2026-01",
           offers=(("Planting plan for small spaces", "Courtyards, shopfronts and "
                    "balconies.", "gardening, design", None),)),
    Person("Pedro Santos", "Santos Sound & Light", "events", joins="2026-01",
           offers=(("PA system for member events", "Speakers, mics and someone who knows "
                    "how to set them up.", "sound, events", None),)),
    Person("Leila Haddad", "Haddad Mezze Kitchen", "food", ("food",), joins="2026-02",
           offers=(("Shared kitchen hours", "My commercial kitchen is free on Mondays "
                    "for members.", "kitchen, food", "food"),)),
    Person("Jan de Vries", "De Vries Data", "web", ("digital",), joins="2026-03",
           handle="jan.devries",
           offers=(("Spreadsheet rescue", "Turn a messy spreadsheet into something you "
                    "can trust.", "spreadsheets, data", None),)),
    Person("Zanele Dlamini", "Dlamini Weaving", "textiles", ("riverside",), joins="2026-03",
           offers=(("Weaving taster session", "An evening on the loom for beginners.",
                    "weaving, training", "riverside"),)),
    Person("Arjun Mehta", "Mehta Video", "visual", ("digital",), joins="2026-04",
           offers=(("One-minute promo video", "Shot and edited in a day.", "video", None),)),
    Person("Marta Nowak", "Nowak Sign Painting", "visual", ("riverside",), joins="2026-05",
           offers=(("Hand-painted shop signs", "Traditional signwriting, members' "
                    "rate.", "signs, design", None),)),
    Person("Ben Goldberg", "Goldberg Bike Couriers", "bikes", joins="2026-06",
           offers=(("Same-day deliveries in town", "Parcels up to 40 kg by cargo bike.",
                    "delivery, bikes", None),)),
    Person("Sione Taufa", "Taufa Tiling", "building", ("riverside",), joins="2026-09",
           offers=(("Tiling advice", "What a tiling job takes, before you buy "
                    "anything.", "tiling", None),)),
)

PROSPECTS: tuple[str, ...] = (
    "Harbour Dental Practice", "St Brigid's Primary School", "Greenway Housing Association",
    "The Fox & Fiddle", "Lindqvist Architects", "Riverside Community Centre",
    "Northgate Physio", "Blue Door Hostel", "Okonkwo & Partners Solicitors",
    "Maple Street Nursery", "The Old Mill Gallery", "Castlefield Rowing Club",
    "Nguyen Family Pho", "Brightwater Festival", "Quayside Hotel", "Willow Lane Vets",
    "Kaur Pharmacy", "Sunrise Dance School", "Ferreira Construction", "The Tinker's Rest",
    "Moreau Wine Bar", "Eastside Credit Union", "Horvat Dental Lab",
    "Little Acorns Playgroup", "Amsel Bookshop", "Seaview Care Home",
    "Varga Furniture Outlet", "Hill & Dale Estate Agents", "Petit Bistro",
    "Canal Street Climbing Wall",
)
