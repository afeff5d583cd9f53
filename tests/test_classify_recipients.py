"""Tests for soni.classify.recipients: a business without any social-work evidence is "kein Sozialbezug"."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from soni import grid, schema
from soni.classify import classify
from soni.classify.recipients import business


def test_business_legal_forms_but_not_charitable_ones() -> None:
    providers = ["Flaschenweise Feinkost GmbH", "Taxenbetrieb Müller (Einzelunternehmen)", "Laden, Inh. A. Meier",
                 "Hilfe für Kinder gGmbH", "Diakonie Service GmbH", "Nachbarschaftsverein e.V.", ""]
    assert business(pa.array(providers, type=pa.string())).tolist() == [True, True, True, False, False, False, False]


def test_ag_is_a_legal_form_after_a_name_and_an_arbeitsgemeinschaft_at_the_start() -> None:
    providers = ["Hamburger Hochbahn AG", "Beispiel Aktiengesellschaft (AG)", "AG Jugendhilfe Nord", "Stadtteil-AG"]
    assert business(pa.array(providers, type=pa.string())).tolist() == [True, True, False, False]


def test_a_business_without_evidence_is_no_social_work_with_evidence_the_words_decide() -> None:
    frame = pd.DataFrame({
        schema.TITEL: ["Notwendige Betriebsverlagerung", "Notwendige Betriebsverlagerung",
                       "Schuldnerberatung für Familien"],
        schema.TRAEGER: ["Feinkost GmbH", "Feinkost gGmbH", "Beratung GmbH"],
    })
    fields = classify(frame)[schema.SONI_FELD].tolist()
    assert fields[0] == grid.KEIN_BEZUG
    assert fields[1] == grid.UNKLAR
    assert fields[2] == "Individuum"
