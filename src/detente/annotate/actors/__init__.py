"""Actor resolution: who each mention in an article refers to, with a CAMEO-style code.

An actor's code is its country (ISO 3166 alpha-3) followed by a CAMEO role (``TURGOV``,
``RUSMIL``, ``UKR``); organisations of states have IGO codes (``IGONATO``, ``IGOUNO``) and no
country. :class:`ActorResolver` reads built-in tables (countries and their variants, demonyms,
capitals and cities, institutions, IGOs, role words, and a dated table of leaders) plus any
dictionaries the user passes; ``lookup`` codes a phrase out of context and ``resolve`` finds
every mention in a parsed article.

User dictionaries
-----------------
A CSV file with a header, or JSON lines, one office of one actor per row::

    name,aliases,country,role,code,title,kind,start,end
    Haluk Bayraktar,Bayraktar,TUR,BUS,,Chairman of Baykar,person,2021-01-01,
    Selçuk Bayraktar,,TUR,BUS,,Chief Technology Officer of Baykar,person,,

``name`` (required) is the canonical name; ``aliases`` are other spellings separated by ``|``
(a JSON list in JSON lines); matching ignores case and accents. ``country`` is ISO alpha-3,
``role`` one of the CAMEO roles (GOV MIL COP LEG JUD OPP PTY REB SPY BUS MED CVL REF EDU HLH
REL AGR LAB CRM UAF NGO, or IGO), ``code`` overrides country + role (``IGONATO``). ``kind`` is
person (default), organization, group, country or place. ``start`` and ``end`` (``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``) bound the office: the start day is in office, the end day is the
successor's first; a partial end covers its whole month or year. Rows with the same name are
one actor: on a given date its first row in office wins, and a person in no office on that date
is ``CVL`` (former). A user entry replaces the built-in entry with the same name, and its
aliases win over built-in ones. See ``docs/actor-dictionaries.md``.
"""

from __future__ import annotations

from detente.annotate.actors._resolver import ActorResolver
from detente.annotate.actors._tables import COLUMNS, ROLES, Entity, Office, load_dictionary
from detente.annotate.actors._text import fold

__all__ = ["COLUMNS", "ROLES", "ActorResolver", "Entity", "Office", "fold", "load_dictionary"]
