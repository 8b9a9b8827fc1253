"""What the demo's members ask for, give and pass on, as data.

``{receiver}`` in a give's description is replaced by the receiver's first name.
"""

from __future__ import annotations

from dataclasses import dataclass

# An ask as posted: title, description, tags, and what the give answering it says.
Ask = tuple[str, str, str, str]


@dataclass(frozen=True)
class Trade:
    asks: tuple[Ask, ...]  # what other members ask people of this trade for
    gives: tuple[str, ...]  # help people of this trade give outside any ask
    needs: tuple[str, ...]  # what a referred prospect needs from this trade
    deal: tuple[int, int]  # the range of a closed deal's value, in EUR


TRADES: dict[str, Trade] = {
    "money": Trade(
        asks=(("Help with my first VAT return", "First return is due this month and I "
               "don't know where to start.", "vat, bookkeeping", "Walked through the VAT "
               "return line by line"),
              ("Check my terms and conditions", "Two pages; worried they don't protect "
               "me from late payers.", "legal, contracts", "Reviewed the terms and marked "
               "up the risky clauses"),
              ("Review a lease before I sign", "Five-year lease on a small unit; signing "
               "next week.", "legal, lease", "Went through the lease and the break "
               "clause"),
              ("Set up bookkeeping software", "Moving from a shoebox of receipts to "
               "proper software.", "bookkeeping", "Set up the bookkeeping software and "
               "chart of accounts")),
        gives=("Went through the quarter's books with {receiver}",
               "Explained payroll basics to {receiver} before the first hire"),
        needs=("bookkeeping for a growing shop", "year-end accounts",
               "a review of supplier contracts"),
        deal=(300, 2500),
    ),
    "making": Trade(
        asks=(("Print and bind 50 booklets", "For the spring workshop; A5, 24 pages.",
               "printing", "Printed and bound the workshop booklets"),
              ("Handmade mugs for the café", "Twenty mugs in our colours.", "ceramics",
               "Threw and glazed a set of mugs"),
              ("Business cards by Friday", "Design is ready, just need them printed.",
               "printing", "Printed business cards on the letterpress")),
        gives=("Printed flyers for {receiver}'s open day",
               "Showed {receiver} how to glaze and fire test tiles"),
        needs=("printing for a festival programme", "tableware for a new restaurant"),
        deal=(200, 4000),
    ),
    "woodwork": Trade(
        asks=(("Shelving for the shop's back room", "Three metres of sturdy shelving "
               "for stock.", "carpentry, shelving", "Built and fitted the back-room "
               "shelves"),
              ("Fix a wobbly bench at the stall", "The market bench is on its last legs.",
               "carpentry, repair", "Re-glued and braced the market bench"),
              ("Reupholster two café chairs", "Seats are torn; frames are fine.",
               "upholstery", "Reupholstered two café chairs"),
              ("A display stand for the market", "Foldable, fits in a hatchback.",
               "carpentry", "Made a folding display stand")),
        gives=("Fixed a sticking door at {receiver}'s shop",
               "Cut and edged boards for {receiver}'s project in the workshop",
               "Repaired a broken chair for {receiver}"),
        needs=("fitted shelving for a new shop", "restoring a set of dining chairs",
               "a bespoke reception counter"),
        deal=(400, 6000),
    ),
    "web": Trade(
        asks=(("My website is down after the hosting change", "Blank page since "
               "Tuesday; customers are emailing me.", "web, hosting", "Fixed the site "
               "after the hosting move"),
              ("Add online booking to my site", "Customers keep phoning to book.",
               "web, booking", "Added an online booking page"),
              ("Set up email on our own domain", "Still using a free address for the "
               "business.", "it, email", "Set up email on the business domain"),
              ("Laptop is crawling", "Takes ten minutes to start; can someone look?",
               "it, support", "Cleaned up and sped up the laptop"),
              ("Make sense of my price spreadsheet", "Forty tabs and nobody trusts the "
               "numbers.", "spreadsheets, data", "Rebuilt the price spreadsheet")),
        gives=("Fixed {receiver}'s contact form", "Set up backups for {receiver}",
               "Moved {receiver}'s site to a faster host"),
        needs=("a new website with online booking", "IT support for a small office",
               "a stock-tracking spreadsheet"),
        deal=(500, 8000),
    ),
    "food": Trade(
        asks=(("Catering for 30 at our open day", "Saturday lunch, vegetarian "
               "options please.", "catering", "Catered the open day lunch"),
              ("Coffee and pastries for a workshop", "Twelve people, Thursday morning.",
               "catering, coffee", "Brought coffee and pastries for the workshop"),
              ("Cakes for the Repair Café", "Something to keep the volunteers going.",
               "baking", "Baked cakes for the Repair Café"),
              ("Advice before a food hygiene inspection", "First inspection next month.",
               "food, hygiene", "Walked through the kitchen before the inspection")),
        gives=("Lent {receiver} the kitchen for a big order",
               "Covered {receiver}'s stall at the Saturday market",
               "Shared a bulk order run with {receiver}"),
        needs=("catering for a company lunch", "wholesale bread for a café",
               "coffee for an office"),
        deal=(150, 3000),
    ),
    "bikes": Trade(
        asks=(("Service my cargo bike", "Brakes squeal and the chain slips.", "bikes",
               "Serviced the cargo bike"),
              ("Deliver parcels across town on Friday", "Six parcels, all in the "
               "centre.", "delivery", "Delivered the Friday parcels by cargo bike")),
        gives=("Trued {receiver}'s wheels and fixed the brakes",
               "Lent {receiver} a cargo bike for the weekend"),
        needs=("servicing a fleet of delivery bikes", "same-day courier deliveries"),
        deal=(150, 2500),
    ),
    "building": Trade(
        asks=(("Extra sockets in the workshop", "Two double sockets by the bench.",
               "electrics", "Fitted two double sockets in the workshop"),
              ("Leaking tap in the café kitchen", "Dripping all night.", "plumbing",
               "Fixed the leaking kitchen tap"),
              ("Check the wiring before the inspection", "Landlord's inspection in two "
               "weeks.", "electrics, safety", "Checked the wiring and fuse board")),
        gives=("Fixed the boiler pressure at {receiver}'s studio",
               "Replaced a light fitting for {receiver}"),
        needs=("rewiring a small shop", "a new boiler", "tiling a restaurant kitchen"),
        deal=(300, 7000),
    ),
    "words": Trade(
        asks=(("Proofread a grant application", "Due Monday, 3,000 words.",
               "writing, proofreading", "Proofread the grant application"),
              ("Translate the menu into French", "Two pages; tourists keep asking.",
               "translation", "Translated the menu into French"),
              ("Help me plan a month of posts", "I post when I remember, which is "
               "never.", "marketing, social media", "Planned a month of social posts"),
              ("Write our 'About us' page", "We know what we do; we can't say it.",
               "writing", "Wrote the 'About us' page")),
        gives=("Edited {receiver}'s newsletter", "Translated {receiver}'s flyer"),
        needs=("translation of a product catalogue", "copy for a new website",
               "a social media campaign"),
        deal=(200, 3000),
    ),
    "visual": Trade(
        asks=(("Product photos for the new range", "About fifteen items.",
               "photography", "Photographed the new range"),
              ("A logo refresh", "Our logo was drawn in 2009 and it shows.",
               "design, branding", "Sketched and refined a new logo"),
              ("A short video for our crowdfunding", "Ninety seconds, mostly interviews.",
               "video", "Filmed and edited the crowdfunding video")),
        gives=("Took portraits for {receiver}'s website",
               "Designed a poster for {receiver}'s event"),
        needs=("a new brand identity", "event photography", "a promotional video"),
        deal=(300, 5000),
    ),
    "growing": Trade(
        asks=(("Planters for the shopfront", "Something green that survives "
               "neglect.", "gardening", "Planted up the shopfront planters"),
              ("Advice on a small courtyard", "North-facing, lots of shade.",
               "gardening, design", "Drew a planting plan for the courtyard")),
        gives=("Brought surplus veg to {receiver}'s kitchen",
               "Helped {receiver} clear the yard"),
        needs=("a courtyard garden design", "weekly veg boxes for a restaurant"),
        deal=(200, 4000),
    ),
    "textiles": Trade(
        asks=(("Alter the staff aprons", "Eight aprons, all too long.", "sewing",
               "Altered the staff aprons"),
              ("Curtains for the studio", "Two windows, blackout lining.", "sewing",
               "Made blackout curtains for the studio")),
        gives=("Mended {receiver}'s work jacket", "Hemmed {receiver}'s market banners"),
        needs=("uniform alterations for a hotel", "woven wall hangings for an office"),
        deal=(150, 2500),
    ),
    "premises": Trade(
        asks=(("Move the stall equipment to the new unit", "A van and two strong "
               "arms, one morning.", "van, moving", "Moved the stall equipment"),
              ("Deep clean after the refurbishment", "Dust everywhere.", "cleaning",
               "Deep-cleaned the unit after the works")),
        gives=("Helped {receiver} move stock", "Cleaned {receiver}'s kitchen after an "
               "event"),
        needs=("an office move", "regular cleaning for a studio"),
        deal=(200, 3000),
    ),
    "wellbeing": Trade(
        asks=(("Stretching session for our team", "Eight people who sit all day.",
               "yoga, wellbeing", "Ran a stretching session for the team"),),
        gives=("Showed {receiver} some desk stretches",),
        needs=("a weekly office yoga class", "a wellbeing day for staff"),
        deal=(200, 1500),
    ),
    "events": Trade(
        asks=(("PA system for the summer fair", "Two speakers and a mic.",
               "sound, events", "Set up and ran sound at the summer fair"),),
        gives=("Lent {receiver} speakers for a launch",),
        needs=("sound for a wedding", "audio-visual for a small conference"),
        deal=(400, 4000),
    ),
}

CIRCLE_GIVES: dict[str, tuple[str, ...]] = {
    "riverside": ("Helped {receiver} unload the timber delivery",
                  "Covered {receiver}'s Saturday open-workshop shift",
                  "Sorted the tool library with {receiver}"),
    "repair": ("Took over {receiver}'s table at the Repair Café",
               "Showed {receiver} how to replace a zip at the Repair Café",
               "Fixed a lamp {receiver} brought to the Repair Café"),
    "digital": ("Reviewed {receiver}'s client site for accessibility",
                "Paired with {receiver} on a tricky client bug",
                "Stood in on a client call for {receiver}"),
    "food": ("Covered {receiver}'s stall at the Saturday market",
             "Shared the wholesaler run with {receiver}",
             "Prepped vegetables for {receiver}'s catering order"),
}

NETWORK_GIVES = ("Introduced {receiver} to a reliable supplier",
                 "Talked through {receiver}'s pricing over coffee",
                 "Mentored {receiver} before the first hire")

OFFER_UPDATES = ("Now also on Saturday mornings.", "Spring dates are open again.",
                 "Members' rate lowered for the season.")
ASK_UPDATES = ("Update: the deadline moved to next Friday.",
               "Update: happy to pay for materials.", "Update: mornings suit me best.")
DISPUTE_REASONS = ("We agreed on {agreed}, not {hours} hours", "I don't recognise this one; was "
                   "it meant for someone else?", "The job isn't finished yet")
DECLINE_REASONS = ("Fully booked until spring", "Outside what I do; try a specialist",
                   "Too far away for us to serve well")
LOST_REASONS = ("They went with a cheaper quote", "Project postponed indefinitely",
                "Went quiet after the first meeting")
THANKS_CLOSED = ("Thank you! They've become a regular.", "Thanks for thinking of me.",
                 "Great fit, thank you for the warm introduction.")
THANKS_LOST = ("Didn't work out, but thank you for the introduction.",
               "No deal this time; thanks all the same.")
REFERRAL_NOTES = ("I told them you'd call this week.", "They'd like a quote by the end of "
                  "the month.", "Met them at the market; they're keen.", "A friend of a "
                  "friend, no rush.", "They asked for someone local they can trust.")
