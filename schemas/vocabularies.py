"""Controlled vocabularies: each term defined once, enforced by the schemas, served by the API."""

DOCUMENT_TYPES = {
    "executive_order": "An order signed by a chief executive (president, governor, mayor) "
    "directing officials and agencies under that executive's authority.",
    "presidential_memorandum": "A directive signed by the President, addressed to officials, "
    "that is not numbered as an executive order.",
    "departmental_memorandum": "A directive issued by a department head or agency official "
    "(for example a Secretary of Defense memorandum).",
    "court_order": "An order, ruling or judgment of a court, including temporary restraining "
    "orders, injunctions, stays and denials of applications.",
    "proclamation": "A formal public declaration by a chief executive.",
    "press_release": "An official announcement published by a government office.",
}

MODALITIES = {
    "affirms": "States that something is or remains the case, or restates an existing commitment.",
    "directs": "Instructs addressees under the issuer's authority to take an action.",
    "requires": "Makes an action or condition mandatory for the addressees.",
    "prohibits": "Forbids the addressees from taking an action.",
    "permits": "Allows the addressees to take an action they could not otherwise take.",
    "urges": "Asks or encourages addressees to act without the power to compel them.",
    "demands": "Calls on addressees, in strong terms, to act or stop acting, "
    "whether or not the issuer can compel them.",
    "establishes": "Creates a body, programme, unit, office or initiative.",
    "declares": "Announces a finding, status or condition (for example an emergency).",
    "delegates": "Assigns an authority of the issuer to another actor.",
    "revokes": "Withdraws an earlier document or provision.",
    "amends": "Changes the text or effect of an earlier document or provision.",
    "contains": "A section or subdivision with no words of its own beyond a heading: "
    "its nested provisions carry the content.",
}

DOCUMENT_STATUSES = {
    "in_force": "In effect as issued.",
    "partially_enjoined": "In effect except where a court has enjoined part of it "
    "or its application to some places or people.",
    "enjoined": "A court has ordered that it not be carried out, temporarily or permanently.",
    "stayed": "Its effect is suspended by a court or by its own terms pending further action.",
    "vacated": "Set aside by a court.",
    "rescinded": "Withdrawn by its issuer or a successor.",
    "superseded": "Replaced by a later document.",
    "expired": "No longer in effect because its own time limit has passed.",
    "revoked": "Revoked by a later order (named in `by`).",
}

RELATION_TYPES = {
    "responds_to": "The subject document was issued in response to the object document.",
    "opposes": "The subject document sets out opposition to the object document.",
    "builds_on": "The subject document adds to or extends the measures of the object document.",
    "implements": "The subject document carries out the object document.",
    "challenges": "The subject document contests the lawfulness of the object document.",
    "enjoins": "The subject court order bars carrying out the object document, in whole or part.",
    "stays": "The subject court order suspends the object document or order, in whole or part.",
    "extends": "The subject document prolongs the effect of the object document.",
    "declines_to_stay": "The subject court order refuses to suspend the object order, "
    "leaving it in effect.",
    "holds_unlawful": "The subject court order holds the object document, "
    "or action taken under it, unlawful.",
    "supersedes": "The subject document replaces the object document.",
    "rescinds": "The subject document withdraws the object document.",
    "amends": "The subject document changes the object document.",
    "revokes": "The subject document revokes the object document.",
    "revokes_in_part": "The subject document revokes part of the object document.",
    "supersedes_in_part": "The subject document replaces part of the object document.",
}

VERIFICATION_LEVELS = {
    "official": "Checked against an official text or record (the issuer's own publication, "
    "an official gazette, a court record).",
    "reported": "Rests on news reports; no official text has been checked.",
    "extracted": "Machine-read from an official text held by the project: the text is checked "
    "against that source; the typing (modality, addressees, binding) is the extractor's, named "
    "in `extractor` with its `confidence`, not checked by a person.",
}

JURISDICTION_LEVELS = {
    "federal": "A national government.",
    "state": "A state of a federation.",
    "municipal": "A city, town or county.",
    "district": "A federal district such as the District of Columbia.",
}

ACTOR_KINDS = {
    "person": "A named individual.",
    "office": "A public office, such as the mayor or the President.",
    "agency": "A government agency.",
    "department": "A government department.",
    "court": "A court.",
    "military": "An armed force or military unit, the National Guard included.",
    "government": "A government as a whole.",
    "group": "A group of people addressed together, such as "
    "'federal law-enforcement officers working in Chicago'.",
    "organization": "A body that is not part of a government.",
}

SOURCE_KINDS = {
    "official": "Published by the issuing government or one of its offices.",
    "news": "Published by a news organisation.",
    "court_record": "A court's own filing, docket entry or opinion.",
}

STATEMENT_SETTINGS = {
    "press_conference": "Said at a press conference or public briefing.",
    "interview": "Said in a broadcast or press interview.",
    "written_statement": "A written statement given to the press.",
    "social_media_post": "Posted on a social-media platform.",
    "public_remarks": "Said at a public event, signing or visit.",
}

STANCES = {
    "supports": "The speaker supports the subject of the statement.",
    "opposes": "The speaker opposes the subject of the statement.",
    "neutral": "The speaker takes no side.",
}

TIMELINE_EVENT_KINDS = {
    "document_signed": "A document was signed or issued.",
    "document_published": "A document was published.",
    "status_changed": "A document's status changed (enjoined, stayed, in force again…).",
    "statement": "An official made a statement.",
    "relation": "A document came to relate to another (enjoins, stays, builds on…).",
}

CHANGE_ACTIONS = {
    "created": "The record appeared in the data.",
    "updated": "The record's content changed.",
    "deleted": "The record was removed; the entry stays as a tombstone.",
}

VOCABULARIES = {
    "document_types": DOCUMENT_TYPES,
    "modalities": MODALITIES,
    "document_statuses": DOCUMENT_STATUSES,
    "relation_types": RELATION_TYPES,
    "verification_levels": VERIFICATION_LEVELS,
    "jurisdiction_levels": JURISDICTION_LEVELS,
    "actor_kinds": ACTOR_KINDS,
    "source_kinds": SOURCE_KINDS,
    "statement_settings": STATEMENT_SETTINGS,
    "stances": STANCES,
    "timeline_event_kinds": TIMELINE_EVENT_KINDS,
    "change_actions": CHANGE_ACTIONS,
}
