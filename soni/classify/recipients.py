"""Recipients: a business as the provider of a row without any social-work evidence ("kein Sozialbezug").

Grant lists mix social work with the promotion of businesses (LED lighting, taxi meters, servers,
relocation of a shop). When the provider column names the legal form of a business (GmbH, AG, KG, GbR,
Einzelunternehmen, "Inh.") – not a charitable one (gGmbH, "gemeinnützig", e. V., Stiftung, church,
welfare association) – and no word of the row points to any field, the row is a business matter:
"kein Sozialbezug" instead of "unklar". A business with social evidence (a company nursery, a social
enterprise named by its work) is left to the words.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Legal forms of a business (RE2, case-insensitive) … "AG" only after a name ("Hochbahn AG", "… (AG)"): at
#: the start or in a compound it is an Arbeitsgemeinschaft ("AG Jugendhilfe", "Stadtteil-AG").
BUSINESS = (r"(?i)\b(?:(?:gmbh|kg|gbr|ohg|ug|inhaber(?:in)?|einzelunternehm\w*|aktiengesellschaft|"
            r"gesellschaft mit beschränkter haftung)\b|e\.\s?k\.|inh\.)|\S\s+ag\b|\(ag\)")
#: … that is not charitable or a welfare organisation.
CHARITABLE = (r"(?i)gemeinn|ggmbh|\bg\s?gmbh|\be\.\s?v\b|eingetragener verein|stiftung|verein|diakon|caritas|"
              r"kirch|paritätisch|awo\b|arbeiterwohlfahrt|rotes kreuz|\bdrk\b|lebenshilfe|genossenschaft")
#: Weight of the "kein Sozialbezug" evidence: enough to decide (≥ MIN_SCORE) with a stated confidence
#: near 0.9 (on reading 36 of 40 such rows of a grant list are no social work).
BUSINESS_WEIGHT = 3.0
#: How the evidence is shown in the reasons.
BUSINESS_SHOWN = "Wirtschaftsbetrieb"


def business(providers: pa.Array) -> np.ndarray:
    """Per distinct provider text: whether it names a business that is not charitable."""
    if not len(providers):
        return np.zeros(0, dtype=bool)
    found = pc.and_(pc.match_substring_regex(providers, BUSINESS),
                    pc.invert(pc.match_substring_regex(providers, CHARITABLE)))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)
