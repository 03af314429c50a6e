-- The 2024 Russia–DPRK treaty and China's dilemma: actors, relations and events.
--
-- Data only: entente.load evaluates this file as a table constructor in an
-- empty environment (no function can be called).  Every row comes from the
-- sourced fact table compiled for the project (context/scenario-facts.md);
-- the row ids (R01.., E01..) and source keys (R1.., S1.., V1..) in the
-- `source` and `text` fields point back to it.  Choices made here, beyond the
-- table, are marked "modelling:" so they can be traced and changed.
--
-- Strength conventions (documented in README, "Relation kinds"):
--   defence pacts 1.0; consultation treaties 0.5; political partnership
--   statements 0.7 (strategic) or 0.5; trade = 2023 bilateral trade divided by
--   700 bn USD (the largest flow in the table, CHN-USA 664 bn, gives 0.95),
--   floored at 0.01.
return {
  title = "Russia-DPRK pact and China's dilemma (2024)",
  date = "2024-12-05",
  description = "The June 2024 Russia-DPRK Comprehensive Strategic Partnership treaty, in force "
    .. "2024-12-04, seen from China: bound to the DPRK by the 1961 treaty, partnered with Russia, "
    .. "needing Japan and South Korea.",
  sources = "context/scenario-facts.md (fact table: R = relation sources, S = actor sources, V = event sources)",

  kinds = {
    -- modelling: arms and troop transfers are a directed, cooperative tie with
    -- no obligation (R23).
    military_aid = {sign = 1, obligation = "none", strength = 0.6, directed = true},
  },

  actors = {
    {code = "USA", name = "United States", ccode = 2, warheads = 5044, warheads_deployed = 1770,
      gdp_usd = 27360935000000, population = 336806231, milex_usd = 916000000000, polity2 = 8,
      nuclear = 1, tags = {"nuclear-armed", "liberal democracy", "Americas"}},
    {code = "RUS", name = "Russia", ccode = 365, warheads = 5580, warheads_deployed = 1710,
      gdp_usd = 2021421476035, population = 143826130, milex_usd = 109000000000, polity2 = 4,
      nuclear = 1, tags = {"nuclear-armed", "electoral autocracy", "Europe", "Northeast Asia"}},
    {code = "CHN", name = "China", ccode = 710, warheads = 500, warheads_deployed = 24,
      gdp_usd = 17794781986104, population = 1410710000, milex_usd = 296000000000, polity2 = -7,
      nuclear = 1, tags = {"nuclear-armed", "closed autocracy", "Northeast Asia"}},
    -- PRK: GDP in USD unsourced, milex unknown: left unset (not zero).
    {code = "PRK", name = "North Korea (DPRK)", ccode = 731, warheads = 50, warheads_deployed = 0,
      population = 26418204, polity2 = -10,
      nuclear = 1, tags = {"nuclear-armed", "closed autocracy", "Northeast Asia", "sanctioned"}},
    {code = "ROK", name = "South Korea (ROK)", ccode = 732, warheads = 0, warheads_deployed = 0,
      gdp_usd = 1712792854202, population = 51712619, milex_usd = 47900000000, polity2 = 8,
      nuclear = 0, tags = {"US extended deterrence", "liberal democracy", "Northeast Asia"}},
    {code = "JPN", name = "Japan", ccode = 740, warheads = 0, warheads_deployed = 0,
      gdp_usd = 4212945159781, population = 124516650, milex_usd = 50200000000, polity2 = 10,
      nuclear = 0, tags = {"US extended deterrence", "liberal democracy", "Northeast Asia"}},
    {code = "UKR", name = "Ukraine", ccode = 369, warheads = 0, warheads_deployed = 0,
      gdp_usd = 178757021387, population = 37732836, milex_usd = 64800000000, polity2 = 4,
      nuclear = 0, tags = {"Europe"}},
    {code = "EU", name = "European Union (bloc)", warheads = 290, warheads_deployed = 280,
      gdp_usd = 18349388450766, population = 448897545,
      tags = {"bloc", "Europe"}},
    {code = "NATO", name = "NATO (bloc; 31 members in 2023)", warheads = 5559, warheads_deployed = 2170,
      milex_usd = 1341000000000, tags = {"bloc"}},
    -- modelling: the UN Security Council as an actor, so that UN sanctions
    -- (R16) and the 2024 veto (E22) have a party.
    {code = "UNSC", name = "UN Security Council", tags = {"organisation"}},
  },

  relations = {
    -- R01: in force on exchange of instruments (Art 22), 2024-12-04.
    {"RUS", "PRK", "defence", since = "2024-12-04", strength = 1.0,
      source = "Treaty on Comprehensive Strategic Partnership (DPRK-Russia, signed 2024-06-19), Art. 4 [R01; R1-R7]"},
    {"RUS", "PRK", "consultation", since = "2024-12-04", strength = 0.5,
      source = "Treaty on Comprehensive Strategic Partnership (2024), Art. 3: consultations on an imminent threat [R01; R1]"},
    -- R02: lapsed when R01 entered into force.
    {"RUS", "PRK", "consultation", since = "2000-02-09", ends = "2024-12-04", strength = 0.5,
      source = "Treaty of Friendship, Good-Neighbourliness and Cooperation (Russia-DPRK, 2000) [R02; R3, R8, R10]"},
    -- R03: modelling: end taken as the signing of the 2000 treaty; R10 says
    -- only "not in force since the 1990s".
    {"RUS", "PRK", "defence", since = "1961-07-06", ends = "2000-02-09", strength = 1.0,
      source = "Treaty of Friendship, Co-operation and Mutual Assistance (USSR-DPRK, 1961) [R03; R9, R10]"},
    -- R04: in force 1961-09-10; Art VII: until the parties agree otherwise.
    {"CHN", "PRK", "defence", since = "1961-09-10", strength = 1.0,
      source = "Treaty of Friendship, Co-operation and Mutual Assistance (PRC-DPRK, 1961), Art. II [R04; R10-R15]"},
    -- R05: 20-year term from 2002-02-28, extended 5 years on 2021-06-28.
    {"CHN", "RUS", "consultation", since = "2002-02-28", ends = "2027-02-28", strength = 0.5,
      source = "Treaty of Good-Neighbourliness and Friendly Cooperation (PRC-Russia, 2001), Art. 9 [R05; R16, R17]"},
    {"CHN", "RUS", "strategic_partnership", since = "2022-02-04", strength = 0.7,
      source = "Joint Statement on International Relations Entering a New Era (2022-02-04), 'no limits' [R06; R18, R19]"},
    {"CHN", "RUS", "strategic_partnership", since = "2023-03-21", strength = 0.7,
      source = "Joint Statement on Deepening Comprehensive Partnership (2023-03-21) [R07; R20]"},
    {"USA", "JPN", "defence", since = "1960-06-23", strength = 1.0,
      source = "Treaty of Mutual Cooperation and Security (Japan-US, 1960), Art. V [R08; R21-R23]"},
    {"USA", "ROK", "defence", since = "1954-11-17", strength = 1.0,
      source = "Mutual Defense Treaty (US-ROK, 1953), Art. III [R09; R24, R25]"},
    {"JPN", "ROK", "partnership", since = "1965-12-18", strength = 0.3,
      source = "Treaty on Basic Relations (Japan-ROK, 1965), Art. I [R10; R26-R28]"},
    {"JPN", "ROK", "partnership", since = "2016-11-23", strength = 0.4,
      source = "General Security of Military Information Agreement (GSOMIA, 2016) [R11; R29-R31]"},
    {"JPN", "ROK", "partnership", since = "2023-03-16", strength = 0.5,
      source = "Yoon-Kishida Tokyo summit, shuttle diplomacy resumed (2023-03-16) [R12; R30-R32]"},
    -- R13: one pledge, three dyads.
    {"USA", "JPN", "consultation", since = "2023-08-18", strength = 0.5,
      source = "Camp David Commitment to Consult (2023-08-18) [R13; R33-R35]"},
    {"USA", "ROK", "consultation", since = "2023-08-18", strength = 0.5,
      source = "Camp David Commitment to Consult (2023-08-18) [R13; R33-R35]"},
    {"JPN", "ROK", "consultation", since = "2023-08-18", strength = 0.5,
      source = "Camp David Commitment to Consult (2023-08-18) [R13; R33-R35]"},
    -- R14: modelling: 2014-2022 as a dispute (Crimea, Donbas), war from the
    -- full-scale invasion.  a = the attacker.
    {"RUS", "UKR", "dispute", since = "2014-03-18", ends = "2022-02-24", strength = 0.8,
      source = "Annexation of Crimea (2014-03-18) and war in Donbas [R14; R37, R38]"},
    {"RUS", "UKR", "war", since = "2022-02-24", strength = 1.0,
      source = "Full-scale invasion of Ukraine (2022-02-24) [R14; R36]"},
    {"EU", "RUS", "sanction", since = "2014-03-17", strength = 0.8,
      source = "EU restrictive measures (Council Decision 2014/145/CFSP and 2022 packages) [R15; R39-R43]"},
    {"UNSC", "PRK", "sanction", since = "2006-10-14", strength = 0.8,
      source = "UNSC resolutions 1718 (2006) to 2397 (2017) [R16; R44-R47]"},
    -- R17-R21: trade, 2023 values; strength = value / 700 bn USD.
    {"CHN", "PRK", "trade", strength = 0.01,
      source = "China-DPRK trade 2023: 2.72 bn USD, 98.3% of DPRK trade (KOTRA) [R17; R48-R50]"},
    {"CHN", "RUS", "trade", strength = 0.34,
      source = "China-Russia trade 2023: 240.1 bn USD (China customs) [R18; R51, R52]"},
    {"CHN", "JPN", "trade", strength = 0.48,
      source = "China-Japan trade 2023: 334.71 bn USD (JETRO) [R19; R53]"},
    {"CHN", "ROK", "trade", strength = 0.38,
      source = "China-ROK trade 2023: about 267.6 bn USD (ROK trade data) [R20; R54-R56]"},
    {"CHN", "USA", "trade", strength = 0.95,
      source = "China-US trade 2023: 664 bn USD (China customs) [R21; R57]"},
    {"CHN", "USA", "rivalry", strength = 0.5,
      source = "Strategic rivalry (fact table R21: 'trade partnership / strategic rivalry') [R21; R57]"},
    -- R22: armistice, no peace treaty; 'primary foe' from January 2024.
    {"PRK", "ROK", "rivalry", since = "1953-07-27", strength = 0.9,
      source = "Korean Armistice Agreement (1953); DPRK declares ROK 'primary foe' (2024-01) [R22; R58-R60]"},
    -- R23: shipments from September 2023; troops from October 2024.
    {"PRK", "RUS", "military_aid", since = "2023-09-07", strength = 0.6,
      source = "DPRK munitions shipments to Russia in breach of UNSC sanctions [R23; V6, V8, V15]"},
    {"PRK", "RUS", "military_aid", since = "2024-10-08", strength = 0.8,
      source = "DPRK troops sent to Russia (about 1,500 then 10,000-12,000) [R23; V23-V25]"},
  },

  events = {
    {date = "2006-10-14", from = "UNSC", to = "PRK", cameo = "163", text = "UNSCR 1718 adopted after the nuclear test of 2006-10-09 (15-0) [E01; R44]"},
    {date = "2014-03-18", from = "RUS", to = "UKR", cameo = "192", text = "Russia formally annexes Crimea [E02; R37]"},
    {date = "2017-09-03", from = "PRK", cameo = "150", text = "Sixth (latest) nuclear test [E03; V1]"},
    {date = "2017-12-22", from = "UNSC", to = "PRK", cameo = "163", text = "UNSCR 2397 adopted: oil caps, worker repatriation [E04; R45]"},
    {date = "2021-07-07", from = "CHN", to = "PRK", cameo = "051", text = "PRC MFA: the 1961 treaty 'remains in force' [E05; R14]"},
    {date = "2022-02-04", from = "CHN", to = "RUS", cameo = "057", text = "'No limits' joint statement [E06; R18]"},
    {date = "2022-02-23", from = "EU", to = "RUS", cameo = "163", text = "First EU sanctions package of 2022 [E07; R41]"},
    {date = "2022-02-24", from = "RUS", to = "UKR", cameo = "190", text = "Full-scale invasion of Ukraine [E08; R36]"},
    -- modelling: the G7/EU/Australia price cap is attributed to the EU actor.
    {date = "2022-12-05", from = "EU", to = "RUS", cameo = "163", text = "G7/EU/Australia 60 USD/bbl price cap on Russian seaborne crude [E09; R43]"},
    -- A year-long series: dated over the whole year.
    {date = "2023-01-01", ends = "2023-12-31", from = "PRK", cameo = "150", text = "DPRK ballistic missile launches in 2023 (Japan MOD: 18 events, 25 missiles) [E10; V2, V3]"},
    {date = "2023-03-16", from = "JPN", to = "ROK", cameo = "064", text = "Yoon-Kishida Tokyo summit; GSOMIA 'complete normalization' [E11; R30, R31]"},
    {date = "2023-08-15", from = "CHN", to = "USA", cameo = "111", text = "PRC MFA opposes 'patchwork of small circles' ahead of Camp David [E12; V4]"},
    {date = "2023-08-15", from = "CHN", to = "JPN", cameo = "111", text = "PRC MFA opposes 'patchwork of small circles' ahead of Camp David [E12; V4]"},
    {date = "2023-08-15", from = "CHN", to = "ROK", cameo = "111", text = "PRC MFA opposes 'patchwork of small circles' ahead of Camp David [E12; V4]"},
    {date = "2023-08-18", from = "USA", to = "JPN", cameo = "057", text = "Camp David trilateral summit; three documents adopted [E13; R33, R34]"},
    {date = "2023-08-18", from = "USA", to = "ROK", cameo = "057", text = "Camp David trilateral summit; three documents adopted [E13; R33, R34]"},
    {date = "2023-08-18", from = "CHN", to = "USA", cameo = "111", text = "PRC MFA: against bringing bloc confrontation into the Asia-Pacific [E14; V5]"},
    {date = "2023-08-18", from = "CHN", to = "JPN", cameo = "111", text = "PRC MFA: against bringing bloc confrontation into the Asia-Pacific [E14; V5]"},
    {date = "2023-08-18", from = "CHN", to = "ROK", cameo = "111", text = "PRC MFA: against bringing bloc confrontation into the Asia-Pacific [E14; V5]"},
    {date = "2023-09-07", ends = "2023-10-01", from = "PRK", to = "RUS", cameo = "072", text = "More than 1,000 containers of munitions shipped Najin to Dunay [E15; V6, V7]"},
    {date = "2023-09-13", from = "PRK", to = "RUS", cameo = "042", text = "Kim-Putin summit at Vostochny Cosmodrome [E16; V7, V8]"},
    {date = "2023-09-27", from = "PRK", cameo = "150", text = "Nuclear-force policy written into the constitution [E17; V9]"},
    {date = "2023-10-13", from = "USA", to = "PRK", cameo = "112", text = "White House condemns DPRK arms deliveries to Russia [E18; V6]"},
    {date = "2024-01-15", from = "PRK", to = "ROK", cameo = "160", text = "Kim: ROK 'primary foe'; peaceful reunification ended [E19; V10, V11]"},
    {date = "2024-01-01", ends = "2024-12-31", from = "PRK", cameo = "150", text = "DPRK ballistic missile launches in 2024 (at least 13 events by end May) [E20; V12-V14]"},
    {date = "2024-02-26", from = "ROK", to = "PRK", cameo = "112", text = "ROK MND: about 6,700 containers sent to Russia since 2023-09 [E21; V15]"},
    {date = "2024-02-26", from = "ROK", to = "RUS", cameo = "112", text = "ROK MND: about 6,700 containers sent to Russia since 2023-09 [E21; V15]"},
    {date = "2024-03-28", from = "RUS", to = "UNSC", cameo = "129", text = "Russia vetoes renewal of the 1718 Panel of Experts; China abstains [E22; R46]"},
    {date = "2024-06-18", from = "CHN", to = "RUS", cameo = "010", text = "PRC MFA: Putin's visit is a bilateral exchange [E23; V16]"},
    {date = "2024-06-18", from = "CHN", to = "PRK", cameo = "010", text = "PRC MFA: Putin's visit is a bilateral exchange [E23; V16]"},
    {date = "2024-06-19", from = "RUS", to = "PRK", cameo = "042", text = "Putin lands in Pyongyang; first visit in 24 years [E24; V17, V18]"},
    {date = "2024-06-19", from = "RUS", to = "PRK", cameo = "057", text = "Treaty on Comprehensive Strategic Partnership signed [E25; R1, V19]"},
    {date = "2024-06-20", from = "CHN", to = "RUS", cameo = "011", text = "PRC MFA: a matter between the two countries, no comment [E26; V20, V21]"},
    {date = "2024-06-20", from = "CHN", to = "PRK", cameo = "011", text = "PRC MFA: a matter between the two countries, no comment [E26; V20, V21]"},
    {date = "2024-06-27", from = "RUS", cameo = "010", text = "Zakharova: not a Western-style alliance; Art. 4 like the 1961 PRC-DPRK treaty [E27; R2]"},
    {date = "2024-08-01", ends = "2024-08-31", from = "CHN", to = "RUS", cameo = "051", text = "PRC MFA: both are China's friendly neighbours (day unsourced) [E28; V22]"},
    {date = "2024-08-01", ends = "2024-08-31", from = "CHN", to = "PRK", cameo = "051", text = "PRC MFA: both are China's friendly neighbours (day unsourced) [E28; V22]"},
    {date = "2024-10-08", ends = "2024-10-13", from = "PRK", to = "RUS", cameo = "072", text = "About 1,500 special forces moved to Vladivostok [E29; V23, V24]"},
    {date = "2024-10-23", from = "USA", to = "PRK", cameo = "112", text = "US SecDef confirms DPRK troops in Russia [E30; V25]"},
    {date = "2024-10-23", from = "USA", to = "RUS", cameo = "112", text = "US SecDef confirms DPRK troops in Russia [E30; V25]"},
    {date = "2024-10-24", from = "CHN", cameo = "011", text = "PRC MFA: 'not aware of the situation' regarding DPRK troops [E31; V26]"},
    {date = "2024-10-24", from = "RUS", to = "PRK", cameo = "057", text = "State Duma ratifies the treaty [E32; R4, V27]"},
    {date = "2024-10-28", from = "USA", to = "PRK", cameo = "112", text = "Pentagon: about 10,000 DPRK troops in Russia [E33; V28]"},
    {date = "2024-10-28", from = "USA", to = "RUS", cameo = "112", text = "Pentagon: about 10,000 DPRK troops in Russia [E33; V28]"},
    {date = "2024-11-01", from = "CHN", to = "RUS", cameo = "010", text = "PRC MFA: 'two independent sovereign states... their own matter' [E34; V29, V30]"},
    {date = "2024-11-01", from = "CHN", to = "PRK", cameo = "010", text = "PRC MFA: 'two independent sovereign states... their own matter' [E34; V29, V30]"},
    {date = "2024-11-06", from = "RUS", to = "PRK", cameo = "057", text = "Federation Council approves ratification [E35; R5, V31]"},
    {date = "2024-11-09", from = "RUS", to = "PRK", cameo = "057", text = "Putin signs the ratification law [E36; R3, R6]"},
    {date = "2024-11-11", from = "PRK", to = "RUS", cameo = "057", text = "Kim ratifies the treaty by decree [E36; R3, R6]"},
    {date = "2024-12-04", from = "RUS", to = "PRK", cameo = "057", text = "Instruments exchanged in Moscow; the treaty enters into force (Art. 22) [E37; R3, R6, R7]"},
  },
}
