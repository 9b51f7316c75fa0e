"""The seed progress report's three sections, verbatim (a copy of the shared seed file's body)."""
# ruff: noqa: E501  (the seed lines are kept exactly as printed)

SEED_SECTIONS_TEXT = """\
Well-being of survivors of trafficking

  • 298 survivors of trafficking had been identified and enrolled.
  •     298 needs assessment of identified survivors had been undertaken.
  •     339 survivors had received individual psychosocial counselling support.
  •     678 family members of survivors from 360 families had received counselling service.
  •     317 survivors got ready-to-go certificates after successful completion of counselling.
  •     339 people of the survivors’ community had got counselling support through 12 community counseling sessions.
  •     97 survivors were referred for health care support through a referral mechanism.
  •     16 survivors had received Emergency Support (Health, trauma, counselling, and shelter).
  •     5 survivors were referred for legal support.
  •     65 survivors received support from PRAN-RFL as a kind of contribution in survivors support.


Meetings with stakeholders, awareness raising and training

  •     4 bi-monthly coordination meetings have been organized with 67 Counter Trafficking in Person (CTIP) activists.
  •     5 dialogues have been organized with 135 participants at Union Parishad level.
  •     2 dialogues have been organized with 45 law enforcing officials and media personnel.
  •     3 awareness sessions were organized in school/madrasah/college with 845 participants including students, teachers and parents.
  •     10 community awareness sessions (pot/puppet show) were organized with approximately 3606 participants.
  •     4 awareness raising events were organized with approximately 806 participants.
  •     7 interactive sessions have been organized with the participation of 280 youths and Community Based Organizations (CBOs).
  •     One training was conducted for 16 CTIP activists on facilitation, communication, survivor’s reintegration and advocacy.


Celebration of International Days

  •     International Women’s Day was celebrated on 8 March 2021 by engaging 1350 participants both men and women from the community level.
  •     World Day against Trafficking in Persons was celebrated on 30 July 2021 with 26 participants.
  • International Migration Day was celebrated on 18 December 2021 by engaging 119 participants both men and women from the community level.
"""
