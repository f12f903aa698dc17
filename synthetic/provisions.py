"""Provision trees: numbered sections and sub-sections, each typed, addressed and sourced."""

from itertools import accumulate

from synthetic.corpus import Corpus
from synthetic.words import (
    ADJECTIVES,
    EVERY_PROVISION_WORD,
    PLACES_OF_ACTION,
    RARE_WORD_CHANCE,
    RARE_WORDS,
    VERBS,
    nouns,
)

PROVISIONS = (5, 15)  # provisions in a document, sub-provisions included
CHILDREN_CHANCE = (0.25, 0.15)  # by depth: how often a provision has sub-provisions
MODALITY_MIX = {  # modality: (weight, openings of its summary, naming `who` and `action`)
    "directs": (24, ("Directs {who} to {action}", "Instructs {who} to {action}")),
    "requires": (15, ("Requires {who} to {action}", "Makes it mandatory for {who} to {action}")),
    "affirms": (10, ("Affirms that {who} will {action}", "Confirms that {who} must {action}")),
    "prohibits": (8, ("Prohibits {who} from acting to {action}", "Forbids {who} to {action}")),
    "establishes": (8, ("Establishes a programme for {who} to {action}",)),
    "permits": (6, ("Permits {who} to {action}", "Authorizes {who} to {action}")),
    "urges": (6, ("Urges {who} to {action}", "Encourages {who} to {action}")),
    "declares": (5, ("Declares an emergency calling for {who} to {action}",)),
    "delegates": (5, ("Delegates to {who} the authority to {action}",)),
    "amends": (5, ("Amends an earlier order so that {who} must {action}",)),
    "revokes": (4, ("Revokes an earlier order that required {who} to {action}",)),
    "demands": (4, ("Demands that {who} {action}", "Calls on {who} to {action}")),
}
MODALITIES = tuple(MODALITY_MIX)
MODALITY_WEIGHTS = list(accumulate(weight for weight, _ in MODALITY_MIX.values()))
NOT_BINDING = frozenset({"urges", "demands"})


def add_provisions(
    corpus: Corpus, document, parent, count, sources, topics, *, counter, total, depth=0
) -> None:
    """Add up to `count` provisions under `parent`, each then its own, until `total` in all."""
    rng = corpus.rng
    for index in range(1, count + 1):
        if counter[0] == total:
            return
        counter[0] += 1
        key = f"p{index}" if depth == 0 else f"s{index}"
        provision_id = f"{parent['id'] if parent else document['id']}.{key}"
        row = add_provision(corpus, document, parent, provision_id, index, depth, sources, topics)
        row["position"], row["depth"] = counter[0], depth
        chance = CHILDREN_CHANCE[depth] if depth < len(CHILDREN_CHANCE) else 0
        if rng.random() < chance:
            children = rng.randint(1, 4 if depth == 0 else 3)
            add_provisions(
                corpus,
                document,
                row,
                children,
                sources,
                topics,
                counter=counter,
                total=total,
                depth=depth + 1,
            )


def add_provision(corpus: Corpus, document, parent, provision_id, index, depth, sources, topics):
    """One provision's row, its sources, topics and addressees; the row."""
    rng = corpus.rng
    modality = rng.choices(MODALITIES, cum_weights=MODALITY_WEIGHTS)[0]
    binding = modality not in NOT_BINDING
    actor = document["issuer_id"] if rng.random() < 0.97 else None
    pool = corpus.bodies[document["jurisdiction_id"] if binding else outside(corpus, document)]
    addressees = rng.sample(pool, rng.choice((1, 1, 1, 2, 2, 3)))
    action = (
        f"{rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {' and '.join(nouns(rng, 2))} "
        f"{rng.choice(PLACES_OF_ACTION)}"
    )
    opening = rng.choice(MODALITY_MIX[modality][1])
    concerns = list(dict.fromkeys(nouns(rng, 3)))
    if rng.random() < RARE_WORD_CHANCE:
        concerns.append(rng.choice(RARE_WORDS))
    summary = (
        f"{opening.format(who=corpus.names[addressees[0]], action=action)}. "
        f"The {EVERY_PROVISION_WORD} concerns {', '.join(concerns)}."
    )
    cited = rng.sample(sources, 1 if len(sources) == 1 or rng.random() < 0.7 else 2)
    quoted_in = cited[0] if rng.random() < 0.3 else None
    text = f"shall {action} within {rng.randint(2, 180)} days" if quoted_in else None
    row = {
        "label": label(parent, index, depth, document),
        "modality": modality,
        "binding": binding,
        "actor_id": actor,
        "action": action,
        "summary": summary,
        "text": text,
        "quoted_in_id": quoted_in,
        "verification": document["verification"],
        "id": provision_id,
        "document_id": document["id"],
        "parent_id": parent["id"] if parent else None,
    }
    corpus.add("provisions", row)
    owner = {"provision_id": provision_id}
    corpus.link("provision_sources", owner, "source_id", cited)
    own_topics = rng.sample(topics, min(len(topics), rng.randint(1, 3)))
    corpus.link("provision_topics", owner, "topic", own_topics)
    for position, addressee in enumerate(addressees, start=1):
        corpus.add("provision_addressees", {**owner, "actor_id": addressee, "position": position})
    return row


def outside(corpus: Corpus, document: dict) -> str:
    """A jurisdiction the issuer cannot bind: where urges and demands are addressed."""
    if document["jurisdiction_id"] != "us":
        return "us"
    return corpus.rng.choice(corpus.jurisdictions["state"])


def label(parent, index: int, depth: int, document: dict) -> str | None:
    """Section numbers such as 3, 3(b), 3(b)(ii); null for unnumbered documents."""
    if document["number"] is None:
        return None
    if depth == 0:
        return str(index)
    numbering = ("a", "b", "c", "d") if depth == 1 else ("i", "ii", "iii")
    return f"{parent['label']}({numbering[index - 1]})"
