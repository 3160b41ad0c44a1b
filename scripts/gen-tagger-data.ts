/**
 * Seeded training-data generator for the PII tagger (and the gazetteer extractor).
 *
 *   npx tsx scripts/gen-tagger-data.ts                 # writes .tmp/pii-tagger/generated.jsonl
 *   npx tsx scripts/gen-tagger-data.ts --n 30000 --seed 7 --out path.jsonl
 *   npx tsx scripts/gen-tagger-data.ts --gazetteers     # (re)writes data/gazetteers/*.txt
 *
 * Sentences come from hand-written templates (support chats, forms, e-mails, medical notes, tickets,
 * lists, reviews, multi-line addresses in several national formats …) filled with Faker values from
 * many locales (non-Latin names transliterated or taken from small romanised lists), plus re-fills of the
 * shared synthetic set's templates with fresh values (tagged with their `template_id`, so the trainer can
 * keep held-out templates out). Every record has exact character offsets:
 *   {"text": "...", "spans": [{"type": "PERSON", "start": 0, "end": 5}], "source": "own", "template": "t42"}
 * The output is a pure function of the seed and the Faker version.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allFakers, allLocales, type Faker } from '@faker-js/faker';
import { mulberry32 } from '../src/core/random.js';
import { MONTHS } from '../src/core/redact/pseudonym/lists.js';

export { mulberry32 };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_SET = join(ROOT, '..', 'shared', 'data', 'pii', 'synth_dataset_v2.json');

// ---------------------------------------------------------------------------------------------------
// Seeded randomness

let rnd: () => number = mulberry32(1);
const chance = (p: number): boolean => rnd() < p;
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
function pick<T>(arr: readonly T[]): T {
  return arr[Math.floor(rnd() * arr.length)];
}
function weighted<T>(items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rnd() * total;
  for (const [v, w] of items) {
    r -= w;
    if (r <= 0) return v;
  }
  return items[items.length - 1][0];
}
const digits = (n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(int(0, 9));
  return s;
};
const letter = (): string => String.fromCharCode(65 + int(0, 25));
const cap = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s);
const lines = (s: string): string[] =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter((x) => x && !x.startsWith('#'));

// ---------------------------------------------------------------------------------------------------
// Hand-written lists (also written out as gazetteers)

/** Country | adjective | people (plural). */
const COUNTRY_TABLE = lines(`
Afghanistan|Afghan|Afghans
Albania|Albanian|Albanians
Algeria|Algerian|Algerians
Argentina|Argentinian|Argentinians
Armenia|Armenian|Armenians
Australia|Australian|Australians
Austria|Austrian|Austrians
Azerbaijan|Azerbaijani|Azerbaijanis
Bangladesh|Bangladeshi|Bangladeshis
Belarus|Belarusian|Belarusians
Belgium|Belgian|Belgians
Belize|Belizean|Belizeans
Bolivia|Bolivian|Bolivians
Bosnia and Herzegovina|Bosnian|Bosnians
Brazil|Brazilian|Brazilians
Brunei|Bruneian|Bruneians
Bulgaria|Bulgarian|Bulgarians
Cambodia|Cambodian|Cambodians
Cameroon|Cameroonian|Cameroonians
Canada|Canadian|Canadians
Chile|Chilean|Chileans
China|Chinese|Chinese
Colombia|Colombian|Colombians
Costa Rica|Costa Rican|Costa Ricans
Croatia|Croatian|Croats
Cuba|Cuban|Cubans
Cyprus|Cypriot|Cypriots
Czech Republic|Czech|Czechs
Denmark|Danish|Danes
Dominican Republic|Dominican|Dominicans
Ecuador|Ecuadorian|Ecuadorians
Egypt|Egyptian|Egyptians
El Salvador|Salvadoran|Salvadorans
England|English|Englishmen
Eritrea|Eritrean|Eritreans
Estonia|Estonian|Estonians
Ethiopia|Ethiopian|Ethiopians
Finland|Finnish|Finns
France|French|Frenchmen
Georgia|Georgian|Georgians
Germany|German|Germans
Ghana|Ghanaian|Ghanaians
Greece|Greek|Greeks
Greenland|Greenlandic|Greenlanders
Guatemala|Guatemalan|Guatemalans
Haiti|Haitian|Haitians
Honduras|Honduran|Hondurans
Hungary|Hungarian|Hungarians
Iceland|Icelandic|Icelanders
India|Indian|Indians
Indonesia|Indonesian|Indonesians
Iran|Iranian|Iranians
Iraq|Iraqi|Iraqis
Ireland|Irish|Irishmen
Israel|Israeli|Israelis
Italy|Italian|Italians
Jamaica|Jamaican|Jamaicans
Japan|Japanese|Japanese
Jordan|Jordanian|Jordanians
Kazakhstan|Kazakh|Kazakhs
Kenya|Kenyan|Kenyans
Kuwait|Kuwaiti|Kuwaitis
Latvia|Latvian|Latvians
Lebanon|Lebanese|Lebanese
Libya|Libyan|Libyans
Lithuania|Lithuanian|Lithuanians
Luxembourg|Luxembourgish|Luxembourgers
Malaysia|Malaysian|Malaysians
Mali|Malian|Malians
Malta|Maltese|Maltese
Mexico|Mexican|Mexicans
Moldova|Moldovan|Moldovans
Mongolia|Mongolian|Mongolians
Montenegro|Montenegrin|Montenegrins
Morocco|Moroccan|Moroccans
Nepal|Nepali|Nepalis
Netherlands|Dutch|Dutchmen
New Zealand|New Zealand|New Zealanders
Nicaragua|Nicaraguan|Nicaraguans
Nigeria|Nigerian|Nigerians
North Macedonia|Macedonian|Macedonians
Norway|Norwegian|Norwegians
Pakistan|Pakistani|Pakistanis
Panama|Panamanian|Panamanians
Paraguay|Paraguayan|Paraguayans
Peru|Peruvian|Peruvians
Philippines|Filipino|Filipinos
Poland|Polish|Poles
Portugal|Portuguese|Portuguese
Qatar|Qatari|Qataris
Romania|Romanian|Romanians
Russia|Russian|Russians
Rwanda|Rwandan|Rwandans
Saudi Arabia|Saudi|Saudis
Scotland|Scottish|Scots
Senegal|Senegalese|Senegalese
Serbia|Serbian|Serbs
Singapore|Singaporean|Singaporeans
Slovakia|Slovak|Slovaks
Slovenia|Slovenian|Slovenians
Somalia|Somali|Somalis
South Africa|South African|South Africans
South Korea|Korean|Koreans
Spain|Spanish|Spaniards
Sri Lanka|Sri Lankan|Sri Lankans
Sudan|Sudanese|Sudanese
Suriname|Surinamese|Surinamese
Sweden|Swedish|Swedes
Switzerland|Swiss|Swiss
Syria|Syrian|Syrians
Taiwan|Taiwanese|Taiwanese
Tanzania|Tanzanian|Tanzanians
Thailand|Thai|Thais
Tunisia|Tunisian|Tunisians
Turkey|Turkish|Turks
Uganda|Ugandan|Ugandans
Ukraine|Ukrainian|Ukrainians
United Arab Emirates|Emirati|Emiratis
United Kingdom|British|Britons
United States|American|Americans
Uruguay|Uruguayan|Uruguayans
Uzbekistan|Uzbek|Uzbeks
Venezuela|Venezuelan|Venezuelans
Vietnam|Vietnamese|Vietnamese
Wales|Welsh|Welshmen
Yemen|Yemeni|Yemenis
Zambia|Zambian|Zambians
Zimbabwe|Zimbabwean|Zimbabweans
Chechnya|Chechen|Chechens
Kosovo|Kosovar|Kosovars
Bahrain|Bahraini|Bahrainis
Oman|Omani|Omanis
Laos|Laotian|Laotians
Myanmar|Burmese|Burmese
Angola|Angolan|Angolans
Mozambique|Mozambican|Mozambicans
Botswana|Botswanan|Batswana
Namibia|Namibian|Namibians
Ivory Coast|Ivorian|Ivorians
Fiji|Fijian|Fijians
Samoa|Samoan|Samoans
Tonga|Tongan|Tongans
Papua New Guinea|Papuan|Papuans
Kyrgyzstan|Kyrgyz|Kyrgyz
Tajikistan|Tajik|Tajiks
Turkmenistan|Turkmen|Turkmens
Faroe Islands|Faroese|Faroese
Andorra|Andorran|Andorrans
Monaco|Monegasque|Monegasques
Liechtenstein|Liechtensteiner|Liechtensteiners
San Marino|Sammarinese|Sammarinese
`).map((l) => {
  const [country, adjective, people] = l.split('|');
  return { country, adjective, people };
});

const EXTRA_COUNTRY_NAMES = lines(`
USA
U.S.
U.S.A.
US
UK
U.K.
Great Britain
Britain
Holland
Czechia
Republic of Korea
Korea
Russian Federation
Türkiye
Côte d'Ivoire
Hong Kong
Macau
Puerto Rico
Northern Ireland
Cyprus (Greek)
Cyprus (Turkish)
Burma
Vatican City
Palestine
East Timor
Cape Verde
`);

const RELIGIONS = lines(`
Christian|Christians
Muslim|Muslims
Jewish|Jews
Hindu|Hindus
Buddhist|Buddhists
Sikh|Sikhs
Catholic|Catholics
Roman Catholic|Roman Catholics
Protestant|Protestants
Orthodox|Orthodox Christians
Evangelical|Evangelicals
Mormon|Mormons
Baptist|Baptists
Methodist|Methodists
Lutheran|Lutherans
Anglican|Anglicans
Presbyterian|Presbyterians
Sunni|Sunnis
Shia|Shiites
Shiite|Shias
Jain|Jains
Taoist|Taoists
Atheist|Atheists
Agnostic|Agnostics
Pagan|Pagans
Quaker|Quakers
Pentecostal|Pentecostals
Zoroastrian|Zoroastrians
Mennonite|Mennonites
Amish|Amish
Coptic|Copts
Rastafarian|Rastafarians
Shinto|Shintoists
Druze|Druze
Yazidi|Yazidis
Bahai|Bahais
`).map((l) => l.split('|'));

const POLITICAL = lines(`
Democrat|Democrats
Republican|Republicans
Conservative|Conservatives
Liberal|Liberals
Socialist|Socialists
Communist|Communists
Labour|Labour supporters
Tory|Tories
Green|Greens
Libertarian|Libertarians
Social Democrat|Social Democrats
Christian Democrat|Christian Democrats
Marxist|Marxists
Nationalist|Nationalists
Progressive|Progressives
Liberal Democrat|Liberal Democrats
Anarchist|Anarchists
Unionist|Unionists
Federalist|Federalists
Zionist|Zionists
`).map((l) => l.split('|'));

const HONORIFICS = lines(`
mr
mr.
mrs
mrs.
ms
ms.
miss
mx
mx.
dr
dr.
prof
prof.
professor
doctor
sir
dame
madam
madame
mme
mlle
herr
frau
sr.
sra.
srta.
señor
señora
signor
signora
rev.
reverend
fr.
hon.
lord
lady
capt.
captain
col.
colonel
gen.
lt.
sgt.
mister
sheikh
`);

const PREFIXES = [
  ['Mr.', 30],
  ['Mrs.', 14],
  ['Ms.', 12],
  ['Dr.', 12],
  ['Miss', 4],
  ['Mr', 5],
  ['Mrs', 3],
  ['Ms', 3],
  ['Dr', 3],
  ['Prof.', 3],
  ['Professor', 1],
  ['Sir', 1],
  ['Mx.', 1],
  ['Rev.', 1],
  ['Capt.', 0.5],
  ['Madam', 0.5],
] as const;

/** Occupations in the sentence-case style of name-generator records. */
const JOB_TITLES = lines(`
Accountant
Actuary
Acupuncturist
Administrative assistant
Advertising manager
Aerospace engineer
Agricultural inspector
Air traffic controller
Aircraft mechanic
Airline pilot
Ambulance driver
Anesthesiologist
Animal trainer
Anthropologist
Appraiser
Architect
Archivist
Art director
Assembler
Assistant property manager
Astronomer
Athletic trainer
Audiologist
Auditor
Baker
Bank teller
Barber
Bartender
Bench carpenter
Bicycle repairer
Bill collector
Biochemist
Biomedical engineer
Boilermaker
Bookkeeper
Brickmason
Broadcast technician
Budget analyst
Bus driver
Butcher
Buyer
Cabinetmaker
Cable line installer
Camera operator
Cardiologist
Cargo agent
Carpenter
Cartographer
Cashier
Chauffeur
Chef
Chemical engineer
Chemist
Chief executive
Child care worker
Chiropractor
Choreographer
Civil engineer
Claims adjuster
Clinical psychologist
Coach
Compliance officer
Computer programmer
Concierge
Construction laborer
Copywriter
Correctional officer
Cost estimator
Counselor
Court reporter
Crane operator
Credit analyst
Curator
Customer service representative
Dairy scientist
Data analyst
Data scientist
Database administrator
Dental hygienist
Dentist
Dermatologist
Designer
Desktop publisher
Detective
Dietitian
Dispatcher
Drafter
Drywall installer
Economist
Editor
Electrical engineer
Electrician
Elementary school teacher
Elevator installer
Embalmer
Emergency medical technician
Employment manager
Environmental scientist
Epidemiologist
Event planner
Executive assistant
Fashion designer
Farm manager
Farmworker
File clerk
Film editor
Financial analyst
Financial manager
Firefighter
Fitness trainer
Flight attendant
Floral designer
Food scientist
Forester
Fumigator
Funeral director
Furniture finisher
Gaming dealer
Gardener
General manager
Geographer
Geologist
Glazier
Graphic designer
Groundskeeper
Hairdresser
Hazardous materials worker
Health educator
Heating installer
Historian
Home health aide
Hotel clerk
Housekeeper
Human resources manager
Hydrologist
Illustrator
Industrial designer
Industrial engineer
Information security analyst
Insurance agent
Insurance underwriter
Interior designer
Interpreter
Investment banker
Janitor
Jeweler
Journalist
Judge
Kindergarten teacher
Labor relations director
Laboratory animal technician
Landscape architect
Lawyer
Leasing consultant
Legal secretary
Librarian
Library assistant
Licensed practical nurse
Lifeguard
Loan officer
Locksmith
Logistician
Machinist
Mail carrier
Maintenance worker
Management analyst
Marine biologist
Market research analyst
Marketing manager
Massage therapist
Mathematician
Mechanical engineer
Medical assistant
Medical records technician
Meeting planner
Metal worker
Meteorologist
Microbiologist
Midwife
Millwright
Mining engineer
Model maker
Motorcycle mechanic
Museum technician
Music director
Musician
Network administrator
Network and computer systems administrator
Neurologist
News anchor
Nuclear engineer
Nurse
Nurse practitioner
Nursing assistant
Occupational therapist
Office clerk
Optician
Optometrist
Orthodontist
Packager
Painter
Paralegal
Paramedic
Park ranger
Passenger booking clerk
Pastry chef
Pathologist
Payroll clerk
Pediatrician
Personal trainer
Pest control worker
Pharmacist
Pharmacy technician
Photographer
Physical therapist
Physician
Physician assistant
Physicist
Pilot
Plasterer
Plumber
Podiatrist
Police officer
Political scientist
Postmaster
Power distributor
Power plant operator
Preschool teacher
Printing press operator
Private investigator
Probation officer
Producer
Product manager
Production planner
Professor
Project manager
Proofreader
Property manager
Psychiatrist
Psychologist
Public relations specialist
Purchasing agent
Radio operator
Radiologic technologist
Real estate agent
Receptionist
Recreation worker
Registered nurse
Rehabilitation counselor
Reporter
Respiratory therapist
Restaurant manager
Retail salesperson
Rolling machine operator
Roofer
Sales engineer
Sales manager
Salesperson
School psychologist
Secretary
Security guard
Set designer
Sewer pipe cleaner
Sheet metal worker
Ship captain
Shipping clerk
Singer
Social worker
Software developer
Software engineer
Soil scientist
Sound engineer
Speech pathologist
Staff development specialist
Statistician
Stock clerk
Stonemason
Structural engineer
Surgeon
Surveyor
Systems analyst
Tailor
Talking-books clerk
Tax examiner
Tax preparer
Taxi driver
Teacher
Teacher assistant
Technical writer
Telemarketer
Telephone operator
Textile worker
Tile setter
Tour guide
Toxicologist
Traffic technician
Training specialist
Translator
Travel agent
Tree trimmer
Truck driver
Tutor
Umpire
Upholsterer
Urban planner
Usher
Veterinarian
Veterinary technician
Video editor
Waiter
Waitress
Warehouse worker
Watch repairer
Web developer
Welder
Wildlife biologist
Window cleaner
Woodworker
Writer
X-ray technician
Zoologist
Echocardiographer
Cinematographer
Sommelier
Barista
Courier
Dental assistant
Nanny
Caregiver
Chief financial officer
Chief technology officer
Operations manager
Office manager
Account executive
Business analyst
UX designer
Mechanic
Electrician apprentice
`);

/** Well-known organisations (English names). */
const KNOWN_ORGS = lines(`
Microsoft
Google
Alphabet
Apple
Amazon
Meta
Facebook
Netflix
Uber
Lyft
Airbnb
Tesla
IBM
Intel
Oracle
Cisco
Adobe
Salesforce
SAP
Siemens
Bosch
Volkswagen
BMW
Daimler
Toyota
Honda
Nissan
Sony
Samsung
Hyundai
LG Electronics
Huawei
Alibaba
Tencent
Baidu
Nokia
Ericsson
Philips
Unilever
Nestlé
Novartis
Roche
Pfizer
Moderna
Johnson & Johnson
Procter & Gamble
Coca-Cola
PepsiCo
McDonald's
Starbucks
Walmart
Target
Costco
IKEA
H&M
Zara
Inditex
Nike
Adidas
Puma
Allianz
AXA
Generali
Zurich Insurance
Munich Re
HSBC
Barclays
Lloyds Bank
Santander
BNP Paribas
Deutsche Bank
Commerzbank
ING
Rabobank
UBS
Credit Suisse
Citigroup
JPMorgan Chase
Goldman Sachs
Morgan Stanley
Wells Fargo
Bank of America
BlackRock
The Vanguard Group
Fidelity Investments
Russell Investments
State Street
American Express
Visa
Mastercard
PayPal
Stripe
Shopify
Spotify
Twitter
LinkedIn
Reddit
Dropbox
Slack
Zoom
Atlassian
GitHub
GitLab
Mozilla
OpenAI
Anthropic
DeepMind
Nvidia
AMD
Qualcomm
Arm
Dell
HP
Lenovo
Accenture
Deloitte
KPMG
PwC
Ernst & Young
McKinsey
Boston Consulting Group
Bain & Company
Reed Elsevier
Thomson Reuters
Bloomberg
Reuters
Associated Press
BBC
CNN
The New York Times
The Guardian
Standard & Poor's
Moody's
Chemical Abstracts Service
Red Cross
United Nations
UNICEF
World Health Organization
World Bank
International Monetary Fund
European Commission
NATO
Greenpeace
Amnesty International
Oxfam
Doctors Without Borders
Harvard University
Stanford University
Oxford University
MIT
ETH Zurich
Sorbonne
Boeing
Airbus
Lufthansa
Ryanair
Delta Air Lines
Emirates
Maersk
DHL
FedEx
UPS
Shell
BP
ExxonMobil
Chevron
TotalEnergies
Equinor
Gazprom
Aramco
Vodafone
Telefónica
Orange
Deutsche Telekom
Verizon
AT&T
Comcast
Disney
Warner Bros
Universal Music
EMI
Columbia Records
Atlantic Records
Sony Music
Decca Records
Capitol Records
Motown
`);

/** Word parts for invented start-up style company names (Opencounter, Datalytics …). */
const ORG_PARTS_A = lines(`
open
data
geo
health
civic
smart
clear
bright
true
blue
green
red
rapid
cloud
net
info
med
bio
fin
pay
shop
trade
market
price
home
place
school
learn
mind
think
insight
vision
quant
metric
signal
pulse
core
next
prime
vita
nova
terra
aqua
sun
star
peak
summit
river
stone
iron
gold
silver
urban
rural
farm
food
fresh
green
eco
energy
power
solar
wind
grid
chain
block
link
hub
path
route
ship
freight
fleet
auto
drive
motor
legal
law
policy
vote
gov
public
civil
social
people
talent
job
work
team
crowd
fund
capital
asset
wealth
risk
credit
loan
rent
estate
realty
build
craft
`);
const ORG_PARTS_B = lines(`
counter
market
space
quest
ly
ify
io
ity
ability
metrics
lytics
wise
works
base
box
hub
lab
labs
logic
mind
net
point
scape
sense
shift
side
spark
stack
stream
track
view
wave
ware
way
zone
nest
gate
bridge
forge
line
leaf
field
tree
bit
byte
flow
scout
pilot
dash
grid
map
`);
const ORG_TAILS = lines(`
Inc.
Inc
LLC
Ltd.
Ltd
Group
Technologies
Analytics
Partners
Associates
Solutions
Systems
Labs
Research
Consulting
Holdings
Corporation
Corp.
Co.
International
Capital
Ventures
Media
Networks
Health
Software
Foundation
GmbH
AG
S.A.
B.V.
plc
`);

const WORLD_CITIES = lines(`
London
Paris
Berlin
Madrid
Rome
Milan
Naples
Turin
Florence
Venice
Vienna
Zurich
Geneva
Basel
Bern
Lausanne
Munich
Hamburg
Frankfurt
Cologne
Stuttgart
Düsseldorf
Leipzig
Dresden
Hanover
Nuremberg
Bremen
Amsterdam
Rotterdam
The Hague
Utrecht
Eindhoven
Groningen
Brussels
Antwerp
Ghent
Bruges
Liège
Luxembourg
Lisbon
Porto
Barcelona
Valencia
Seville
Bilbao
Malaga
Zaragoza
Marseille
Lyon
Toulouse
Nice
Nantes
Strasbourg
Bordeaux
Lille
Dublin
Cork
Galway
Belfast
Edinburgh
Glasgow
Aberdeen
Cardiff
Manchester
Liverpool
Birmingham
Leeds
Sheffield
Bristol
Newcastle
Nottingham
Oxford
Cambridge
Brighton
Copenhagen
Aarhus
Odense
Aalborg
Stockholm
Gothenburg
Malmö
Uppsala
Oslo
Bergen
Trondheim
Stavanger
Tromsø
Helsinki
Espoo
Tampere
Turku
Oulu
Reykjavik
Akureyri
Warsaw
Kraków
Łódź
Wrocław
Poznań
Gdańsk
Szczecin
Prague
Brno
Ostrava
Bratislava
Košice
Budapest
Debrecen
Szeged
Ljubljana
Maribor
Zagreb
Split
Rijeka
Belgrade
Novi Sad
Sarajevo
Podgorica
Skopje
Tirana
Sofia
Plovdiv
Varna
Bucharest
Cluj-Napoca
Timișoara
Iași
Chișinău
Kyiv
Lviv
Odesa
Kharkiv
Minsk
Vilnius
Kaunas
Riga
Tallinn
Tartu
Moscow
Saint Petersburg
Novosibirsk
Yekaterinburg
Kazan
Athens
Thessaloniki
Patras
Nicosia
Limassol
Larnaca
Istanbul
Ankara
Izmir
Bursa
Antalya
Tbilisi
Yerevan
Baku
Tel Aviv
Jerusalem
Haifa
Beirut
Amman
Damascus
Baghdad
Tehran
Riyadh
Jeddah
Dubai
Abu Dhabi
Doha
Kuwait City
Muscat
Cairo
Alexandria
Casablanca
Rabat
Marrakesh
Tunis
Algiers
Lagos
Abuja
Accra
Nairobi
Mombasa
Addis Ababa
Kampala
Kigali
Dar es Salaam
Johannesburg
Cape Town
Durban
Pretoria
Windhoek
Harare
Lusaka
Luanda
Dakar
New York
Los Angeles
Chicago
Houston
Phoenix
Philadelphia
San Antonio
San Diego
Dallas
San Jose
Austin
Seattle
Denver
Boston
Detroit
Nashville
Portland
Las Vegas
Memphis
Baltimore
Milwaukee
Albuquerque
Tucson
Sacramento
Atlanta
Miami
Orlando
Tampa
Minneapolis
Cleveland
Pittsburgh
St. Louis
Kansas City
New Orleans
Salt Lake City
Honolulu
Anchorage
San Francisco
Oakland
Brooklyn
Toronto
Montreal
Vancouver
Calgary
Edmonton
Ottawa
Winnipeg
Quebec City
Halifax
Mexico City
Guadalajara
Monterrey
Puebla
Tijuana
Havana
Kingston
San Juan
Bogotá
Medellín
Cali
Lima
Quito
Caracas
Santiago
Buenos Aires
Córdoba
Rosario
Montevideo
Asunción
La Paz
São Paulo
Rio de Janeiro
Brasília
Salvador
Fortaleza
Belo Horizonte
Curitiba
Recife
Porto Alegre
Manaus
Goiânia
Joinville
Tokyo
Osaka
Kyoto
Yokohama
Nagoya
Sapporo
Fukuoka
Kobe
Hiroshima
Sendai
Seoul
Busan
Incheon
Beijing
Shanghai
Guangzhou
Shenzhen
Chengdu
Wuhan
Hangzhou
Xi'an
Nanjing
Tianjin
Hong Kong
Taipei
Kaohsiung
Manila
Cebu
Hanoi
Ho Chi Minh City
Da Nang
Bangkok
Chiang Mai
Phuket
Kuala Lumpur
Penang
Singapore
Jakarta
Surabaya
Bandung
Bali
Mumbai
Delhi
New Delhi
Bangalore
Bengaluru
Hyderabad
Chennai
Kolkata
Pune
Ahmedabad
Jaipur
Karachi
Lahore
Islamabad
Dhaka
Kathmandu
Colombo
Sydney
Melbourne
Brisbane
Perth
Adelaide
Canberra
Hobart
Darwin
Auckland
Wellington
Christchurch
Dunedin
Queenstown
`);

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const DATE_WORDS = [
  ...WEEKDAYS,
  ...MONTHS,
  ...lines(`
mon
tue
tues
wed
thu
thur
thurs
fri
sat
sun
jan
feb
mar
apr
jun
jul
aug
sep
sept
oct
nov
dec
today
tomorrow
yesterday
tonight
noon
midnight
weekend
am
pm
a.m.
p.m.
`),
];

const STREET_TYPES = lines(`
street
st
st.
road
rd
rd.
avenue
ave
ave.
av
av.
avda
avda.
boulevard
blvd
blvd.
lane
ln
drive
dr
court
ct
place
pl
square
sq
terrace
way
close
crescent
highway
hwy
parkway
pkwy
alley
row
mews
walk
rue
allée
chemin
quai
impasse
cours
via
viale
piazza
corso
largo
strada
vicolo
calle
avenida
paseo
plaza
camino
carrera
ronda
rua
travessa
praça
estrada
largo
straße
strasse
str.
weg
gasse
platz
allee
ring
damm
laan
straat
plein
gracht
kade
ul.
ulica
al.
aleja
os.
plac
gatan
vägen
gata
väg
vej
gade
veien
vegen
gate
katu
tie
kuja
utca
út
körút
tér
sokak
caddesi
bulvarı
ulitsa
prospekt
apt
apt.
suite
ste
unit
flat
floor
box
p.o.
po
psc
apo
fpo
dpo
`);

const COMPANY_SUFFIXES = lines(`
inc
inc.
incorporated
llc
l.l.c.
ltd
ltd.
limited
plc
corp
corp.
corporation
co
co.
company
group
holdings
gmbh
ag
sa
s.a.
srl
s.r.l.
spa
s.p.a.
bv
b.v.
nv
n.v.
ab
as
asa
oy
oyj
kft
kft.
pty
pty.
partners
associates
technologies
solutions
systems
labs
analytics
consulting
services
ventures
capital
international
industries
enterprises
foundation
institute
bank
media
networks
software
logistics
and sons
& co
& co.
s.a.s.
sarl
ei
a.s.
s.r.o.
sp. z o.o.
`);

const NAME_PARTICLES = lines(`
van
von
de
der
den
da
di
del
della
dos
das
du
la
le
al
el
bin
ibn
ter
ten
zu
af
mac
st.
`);

const FUNCTION_WORDS = lines(`
i
me
my
mine
myself
you
your
yours
yourself
he
him
his
himself
she
her
hers
herself
it
its
itself
we
us
our
ours
they
them
their
theirs
this
that
these
those
a
an
the
and
or
but
if
then
else
when
while
where
why
how
what
which
who
whom
whose
is
am
are
was
were
be
been
being
have
has
had
having
do
does
did
doing
done
will
would
shall
should
can
could
may
might
must
not
no
yes
ok
okay
please
thanks
thank
hello
hi
hey
dear
there
here
all
any
each
every
some
many
much
more
most
other
another
such
only
own
same
so
than
too
very
just
also
now
one
two
three
four
five
six
seven
eight
nine
ten
first
second
third
last
next
new
old
good
great
best
let
lets
get
got
make
made
see
use
used
using
following
note
example
section
chapter
figure
table
data
model
models
file
files
user
users
code
install
run
server
api
chat
bot
question
answer
guide
step
steps
`);

// ---------------------------------------------------------------------------------------------------
// Romanised name lists for scripts Faker only has in native form

const JA_FIRST = lines(`
Haruto
Yuto
Sota
Yuki
Hayato
Haruki
Ryusei
Kota
Sosuke
Riku
Takumi
Kaito
Ren
Daiki
Shota
Kenji
Hiroshi
Takeshi
Satoshi
Akira
Kazuki
Tomoya
Yuito
Hinata
Yui
Aoi
Sakura
Hana
Rin
Mei
Yuna
Himari
Akari
Miyu
Nanami
Ayaka
Misaki
Haruka
Nanaho
Tomomi
Keiko
Yoko
Naoko
Emi
Mariko
`);
const JA_LAST = lines(`
Sato
Suzuki
Takahashi
Tanaka
Watanabe
Ito
Yamamoto
Nakamura
Kobayashi
Kato
Yoshida
Yamada
Sasaki
Yamaguchi
Matsumoto
Inoue
Kimura
Hayashi
Shimizu
Yamazaki
Mori
Abe
Ikeda
Hashimoto
Ishikawa
Ogawa
Okada
Hasegawa
Fujita
Goto
Kondo
Murakami
Endo
Aoki
Sakamoto
Nishimura
Fukuda
Ota
Miura
Fujii
Okamoto
Matsuda
Nakagawa
Nishiyama
Hirai
Iwase
`);
const ZH_GIVEN = lines(`
Wei
Fang
Min
Jing
Li
Qiang
Lei
Jun
Yang
Yong
Yan
Jie
Tao
Ming
Chao
Xiu Ying
Xiaoming
Hui
Lan
Ling
Na
Ping
Gang
Hao
Yu
Xin
Zhen
Zhiwei
Jian
Haoran
Zihan
Yichen
Ruoxi
Mei
Yuxuan
Jiahui
Shu
Qing
Bo
Kai
`);
const ZH_FAMILY = lines(`
Wang
Li
Zhang
Liu
Chen
Yang
Huang
Zhao
Wu
Zhou
Xu
Sun
Ma
Zhu
Hu
Guo
He
Gao
Lin
Luo
Zheng
Liang
Xie
Song
Tang
Han
Feng
Deng
Cao
Peng
Zeng
Xiao
Tian
Dong
Pan
Yuan
Cai
Jiang
Yu
Du
`);
const AR_FIRST = lines(`
Mohamed
Mohammed
Muhammad
Ahmed
Ahmad
Ali
Omar
Khalid
Hassan
Hussein
Youssef
Ibrahim
Mustafa
Karim
Tariq
Samir
Nabil
Walid
Rami
Faisal
Hamza
Bilal
Zaid
Saeed
Majid
Fatima
Aisha
Mariam
Layla
Noor
Salma
Yasmin
Huda
Rania
Amira
Lina
Dina
Hana
Sara
Zainab
Maha
Nadia
Samira
Leila
Reem
`);
const AR_LAST = lines(`
Haddad
Khoury
Nasser
Hamdan
Saleh
Mansour
Khalil
Aziz
Rahman
Farouk
Said
Hussain
Abdullah
Qureshi
Shaikh
Al-Amin
Al-Rashid
El-Sayed
Al-Masri
Darwish
Bakr
Othman
Suleiman
Yousef
Hakim
Jaber
Najjar
Tamimi
Zaher
Karam
Abboud
Habib
Ghanem
Issa
Shamsi
Kassem
Barakat
Sabbagh
Halabi
Mahmoud
`);
const KO_FIRST = lines(`
Min-jun
Seo-yeon
Ji-ho
Ha-eun
Do-yun
Ji-woo
Seo-jun
Su-bin
Ye-jin
Hyun-woo
Jae-won
Soo-ah
Eun-ji
Dong-hyun
Sung-min
Ji-hoon
Hye-jin
Young-ho
Mi-rae
Tae-yang
`);
const KO_LAST = lines(`
Kim
Lee
Park
Choi
Jung
Kang
Cho
Yoon
Jang
Lim
Han
Oh
Seo
Shin
Kwon
Hwang
Ahn
Song
Yoo
Hong
`);
const IS_FIRST = lines(`
Jón
Sigurður
Guðmundur
Gunnar
Ólafur
Einar
Kristján
Magnús
Stefán
Tómas
Ari
Bjarni
Halldór
Þórður
Guðrún
Anna
Kristín
Sigríður
Margrét
Helga
Sigrún
Ingibjörg
Jóhanna
Kristíana
Agatha
Birna
Ásta
Hildur
Katrín
Ragnheiður
`);
const IS_LAST = lines(`
Jónsson
Sigurðsson
Guðmundsson
Gunnarsson
Ólafsson
Einarsson
Kristjánsson
Magnússon
Stefánsson
Sigmundsson
Jónsdóttir
Sigurðardóttir
Guðmundsdóttir
Gunnarsdóttir
Ólafsdóttir
Einarsdóttir
Kristjánsdóttir
Magnúsdóttir
Ottarsdóttir
Valbergsdóttir
`);
const KL_FIRST = lines(`
Minik
Aputsiaq
Inuk
Malik
Nuka
Hans
Paninnguaq
Naja
Arnaq
Ivalu
Pipaluk
Aviaja
Karl
Nivi
Tobias
`);
const KL_LAST = lines(`
Jeremiassen
Lynge
Kleist
Olsen
Petersen
Berthelsen
Motzfeldt
Kristiansen
Kreutzmann
Rosing
Lyberth
Heilmann
Egede
Fleischer
Mathiesen
`);

// ---------------------------------------------------------------------------------------------------
// Transliteration (Cyrillic, Greek) for names Faker only has in native script

const CYR: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  ѓ: 'gj',
  ќ: 'kj',
  љ: 'lj',
  њ: 'nj',
  џ: 'dzh',
  ѕ: 'dz',
  ј: 'j',
};
const GRK: Record<string, string> = {
  α: 'a',
  ά: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  έ: 'e',
  ζ: 'z',
  η: 'i',
  ή: 'i',
  θ: 'th',
  ι: 'i',
  ί: 'i',
  ϊ: 'i',
  ΐ: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  ό: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  ύ: 'y',
  ϋ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
  ώ: 'o',
};

export function transliterate(s: string): string {
  let out = '';
  let prevUpper = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const lo = ch.toLowerCase();
    const t = CYR[lo] ?? GRK[lo];
    if (t === undefined) {
      out += ch;
      prevUpper = ch !== lo;
      continue;
    }
    const upper = ch !== lo;
    const wordStart = i === 0 || !/\p{L}/u.test(s[i - 1]);
    if (upper && t) out += wordStart || !prevUpper ? cap(t) : t.toUpperCase();
    else out += t;
    prevUpper = upper;
  }
  return out;
}

const isLatin = (s: string): boolean => /^[\p{Script=Latin}\p{M}\s'’.-]+$/u.test(s);

// ---------------------------------------------------------------------------------------------------
// Locales

interface LocaleSpec {
  id: string;
  country: string;
  weight: number;
  translit?: boolean;
  /** names from hand lists instead of Faker */
  first?: readonly string[];
  last?: readonly string[];
  /** whether Faker has usable (Latin) street addresses for this locale */
  address?: boolean;
  upperCity?: number;
}

const LOCALES: LocaleSpec[] = [
  { id: 'en_US', country: 'United States', weight: 14, address: true },
  { id: 'en_GB', country: 'United Kingdom', weight: 5, address: true, upperCity: 0.3 },
  { id: 'en_AU', country: 'Australia', weight: 3, address: true, upperCity: 0.3 },
  { id: 'en_CA', country: 'Canada', weight: 2, address: true },
  { id: 'en_IE', country: 'Ireland', weight: 1, address: true },
  { id: 'en_ZA', country: 'South Africa', weight: 2, address: true },
  { id: 'en_IN', country: 'India', weight: 2, address: true },
  { id: 'en_NG', country: 'Nigeria', weight: 1, address: false },
  { id: 'en_GH', country: 'Ghana', weight: 1, address: false },
  { id: 'de', country: 'Germany', weight: 5, address: true },
  { id: 'de_AT', country: 'Austria', weight: 2, address: true, upperCity: 0.3 },
  { id: 'de_CH', country: 'Switzerland', weight: 2, address: true },
  { id: 'fr', country: 'France', weight: 4, address: true, upperCity: 0.4 },
  { id: 'fr_BE', country: 'Belgium', weight: 2, address: true },
  { id: 'fr_CH', country: 'Switzerland', weight: 1, address: true },
  { id: 'es', country: 'Spain', weight: 4, address: true },
  { id: 'es_MX', country: 'Mexico', weight: 2, address: true },
  { id: 'it', country: 'Italy', weight: 4, address: true },
  { id: 'pt_BR', country: 'Brazil', weight: 3, address: true },
  { id: 'pt_PT', country: 'Portugal', weight: 2, address: true },
  { id: 'nl', country: 'Netherlands', weight: 3, address: true },
  { id: 'nl_BE', country: 'Belgium', weight: 1, address: true },
  { id: 'pl', country: 'Poland', weight: 3, address: true },
  { id: 'cs_CZ', country: 'Czech Republic', weight: 2, address: true },
  { id: 'sk', country: 'Slovakia', weight: 1, address: true },
  { id: 'hu', country: 'Hungary', weight: 2, address: true },
  { id: 'hr', country: 'Croatia', weight: 1, address: true },
  { id: 'sl_SI', country: 'Slovenia', weight: 1, address: true },
  { id: 'sr_RS_latin', country: 'Serbia', weight: 1, address: false },
  { id: 'ro', country: 'Romania', weight: 1, address: true },
  { id: 'lv', country: 'Latvia', weight: 1, address: false },
  { id: 'fi', country: 'Finland', weight: 2, address: true, upperCity: 0.5 },
  { id: 'sv', country: 'Sweden', weight: 2, address: true },
  { id: 'da', country: 'Denmark', weight: 2, address: true },
  { id: 'nb_NO', country: 'Norway', weight: 2, address: true, upperCity: 0.5 },
  { id: 'tr', country: 'Turkey', weight: 2, address: true },
  { id: 'id_ID', country: 'Indonesia', weight: 1, address: true },
  { id: 'vi', country: 'Vietnam', weight: 1, address: false },
  { id: 'yo_NG', country: 'Nigeria', weight: 1, address: false },
  { id: 'zu_ZA', country: 'South Africa', weight: 1, address: false },
  { id: 'af_ZA', country: 'South Africa', weight: 1, address: false },
  { id: 'ru', country: 'Russia', weight: 3, translit: true, address: false },
  { id: 'uk', country: 'Ukraine', weight: 2, translit: true, address: false },
  { id: 'el', country: 'Greece', weight: 2, translit: true, address: false, upperCity: 0.5 },
  { id: 'mk', country: 'North Macedonia', weight: 1, translit: true, address: false },
  { id: 'ja', country: 'Japan', weight: 2, first: JA_FIRST, last: JA_LAST, address: false },
  { id: 'zh_CN', country: 'China', weight: 2, first: ZH_GIVEN, last: ZH_FAMILY, address: false },
  { id: 'ar', country: 'Saudi Arabia', weight: 2, first: AR_FIRST, last: AR_LAST, address: false },
  { id: 'ko', country: 'South Korea', weight: 1, first: KO_FIRST, last: KO_LAST, address: false },
  { id: 'is', country: 'Iceland', weight: 1, first: IS_FIRST, last: IS_LAST, address: false },
  { id: 'kl', country: 'Greenland', weight: 1, first: KL_FIRST, last: KL_LAST, address: false },
];

const fakers = new Map<string, Faker>();
function fakerFor(id: string): Faker {
  const key = id in allFakers ? id : 'en';
  let f = fakers.get(key);
  if (!f) {
    f = (allFakers as Record<string, Faker>)[key];
    // seed each instance deterministically from the locale name and the run seed
    let h = 2166136261;
    for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    f.seed((h ^ runSeed) >>> 0);
    fakers.set(key, f);
  }
  return f;
}
let runSeed = 1;

const ADDRESS_LOCALES = LOCALES.filter((l) => l.address);
const pickLocale = (pool: LocaleSpec[]): LocaleSpec => weighted(pool.map((l) => [l, l.weight] as const));

function tryFaker<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------------
// Value providers

const SYLL = lines(`
ka
lo
ri
ma
ne
to
sa
vi
el
an
dor
mir
bel
tan
ru
si
on
ar
li
go
za
pe
ko
mi
da
ul
ya
ve
ni
sha
ber
lin
ta
fe
nu
hel
gar
wen
`);
function pseudoName(): string {
  let s = '';
  const n = int(2, 3);
  for (let i = 0; i < n; i++) s += pick(SYLL);
  if (chance(0.3)) s += pick(['a', 'o', 'e', 'i', 'an', 'er', 'ov', 'ski', 'son', 'sen', 'ez', 'ic', 'ak']);
  return cap(s);
}

function firstName(loc: LocaleSpec): string {
  if (chance(0.04)) return pseudoName();
  if (loc.first) return pick(loc.first);
  const f = fakerFor(loc.id);
  let v = tryFaker(() => f.person.firstName(), 'Alex');
  if (loc.translit) v = transliterate(v);
  if (!isLatin(v)) v = fakerFor('en').person.firstName();
  return v;
}

function lastName(loc: LocaleSpec): string {
  if (chance(0.05)) return pseudoName();
  if (loc.last) return pick(loc.last);
  const f = fakerFor(loc.id);
  let v = tryFaker(() => f.person.lastName(), 'Smith');
  if (loc.translit) v = transliterate(v);
  if (!isLatin(v)) v = fakerFor('en').person.lastName();
  return v;
}

interface Profile {
  nameLoc: LocaleSpec;
  addrLoc: LocaleSpec;
  first: string;
  last: string;
}

function newProfile(): Profile {
  const nameLoc = pickLocale(LOCALES);
  const addrLoc = nameLoc.address && chance(0.6) ? nameLoc : pickLocale(ADDRESS_LOCALES);
  return { nameLoc, addrLoc, first: firstName(nameLoc), last: lastName(nameLoc) };
}

function fullName(p: Profile): string {
  const r = rnd();
  if (r < 0.78) return `${p.first} ${p.last}`;
  if (r < 0.88) return `${p.first} ${letter()}. ${p.last}`;
  if (r < 0.95) return `${p.first} ${letter()} ${p.last}`;
  if (r < 0.98) return `${p.first} ${firstName(p.nameLoc)} ${p.last}`;
  return `${p.first} ${p.last}-${lastName(p.nameLoc)}`;
}

function upperMaybe(s: string, p: number): string {
  return chance(p) ? s.toUpperCase() : s;
}

function city(p: Profile): string {
  const loc = p.addrLoc;
  let v: string;
  if (chance(0.2)) v = pick(WORLD_CITIES);
  else if (loc.translit && chance(0.5)) {
    v = tryFaker(() => fakerFor(loc.id).location.city(), 'Athens');
    if (chance(0.5)) v = transliterate(v);
  } else {
    v = tryFaker(() => fakerFor(loc.id).location.city(), 'Springfield');
    if (!isLatin(v)) v = transliterate(v);
    if (!isLatin(v)) v = pick(WORLD_CITIES);
  }
  return upperMaybe(v, loc.upperCity ?? 0.08);
}

function countryName(p?: Profile): string {
  if (p && chance(0.6)) return p.addrLoc.country;
  if (chance(0.15)) return pick(EXTRA_COUNTRY_NAMES);
  if (chance(0.3)) return tryFaker(() => fakerFor('en').location.country(), 'France');
  return pick(COUNTRY_TABLE).country;
}

function stateName(p: Profile): string {
  const v = tryFaker(() => fakerFor(p.addrLoc.id).location.state(), 'Texas');
  return isLatin(v) ? v : fakerFor('en').location.state();
}

function stateAbbr(p: Profile): string {
  if (chance(0.1)) return 'nan';
  const v = tryFaker(() => fakerFor(p.addrLoc.id).location.state({ abbreviated: true }), 'TX');
  return isLatin(v) && v.length <= 4 ? v : fakerFor('en').location.state({ abbreviated: true });
}

/** Street with house number in the locale's order ("Hauptstraße 5", "12 Rue de la Paix"). */
function streetAddress(p: Profile): string {
  const loc = p.addrLoc;
  let v = tryFaker(() => fakerFor(loc.id).location.streetAddress(false), '');
  if (!v || !isLatin(v.replace(/\d/g, ''))) v = fakerFor('en').location.streetAddress(false);
  return v.replace(/\s+/g, ' ').trim();
}

/** Street without number ("Langosh Turnpike", "Rue Saint-Bernard"). */
function streetOnly(p: Profile): string {
  const loc = chance(0.5) ? fakerFor('en') : fakerFor(p.addrLoc.id);
  let v = tryFaker(() => loc.location.street(), '');
  if (!v || !isLatin(v)) v = fakerFor('en').location.street();
  return v;
}

function buildingNumber(): string {
  return weighted([
    [digits(int(1, 2)).replace(/^0+(?=\d)/, ''), 3],
    [String(int(1, 999)), 4],
    [digits(4), 3],
    [digits(5), 3],
  ]);
}

function secondary(): string {
  return weighted([
    [`Apt. ${digits(3)}`, 5],
    [`Suite ${digits(3)}`, 5],
    [`Apt ${int(1, 99)}`, 1],
    [`Unit ${int(1, 40)}`, 1],
    [`Flat ${int(1, 30)}`, 1],
    [`Floor ${int(1, 20)}`, 0.5],
    [`#${int(1, 999)}`, 0.5],
  ]);
}

function usZip(): string {
  return chance(0.85) ? digits(5) : `${digits(5)}-${digits(4)}`;
}

function localZip(p: Profile): string {
  const v = tryFaker(() => fakerFor(p.addrLoc.id).location.zipCode(), digits(5));
  return /^[A-Z0-9 -]+$/i.test(v) ? v : digits(5);
}

function poBox(): string {
  return weighted([
    [`P.O. Box ${int(1, 9999)}`, 3],
    [`PO Box ${int(1, 9999)}`, 2],
    [`Postbox ${int(1, 999)}`, 1],
    [`Box ${int(1, 999)}`, 1],
  ]);
}

function military(p: Profile): string {
  const state = pick(['AA', 'AE', 'AP']);
  return weighted([
    [`PSC ${digits(4)}, Box ${digits(4)}\nAPO ${state} ${digits(5)}`, 1],
    [`Unit ${digits(4)} Box ${digits(4)}\nDPO ${state} ${digits(5)}`, 1],
    [`${pick(['USNS', 'USS', 'USNV', 'USCGC'])} ${p.last}\nFPO ${state} ${digits(5)}`, 1],
  ]);
}

/** A complete address (one ADDRESS span) in one of many layouts. */
function fullAddress(p: Profile): string {
  const sa = streetAddress(p);
  const c = city(p);
  const layout = weighted<() => string>([
    // compact, presidio-like layouts
    [() => `${buildingNumber()} ${sa} ${secondary()} ${c} ${stateName(p)}`, 3],
    [() => `${buildingNumber()} ${sa} ${secondary()} ${c} ${stateAbbr(p)}`, 3],
    [() => `${buildingNumber()} ${sa} ${secondary()} ${c} ${countryName(p)}`, 3],
    [() => `${buildingNumber()} ${sa}\n ${secondary()}\n ${c}\n ${countryName(p)}`, 4],
    [() => `${buildingNumber()} ${sa}\n ${secondary()}\n ${c}\n ${countryName(p)} ${usZip()}`, 4],
    [() => `${sa} ${streetOnly(p)}\n ${secondary()}\n ${c}\n ${countryName(p)} ${usZip()}`, 3],
    [() => `the corner of ${sa} and ${streetOnly(p)}`, 2],
    [() => `${firstName(p.nameLoc)} and ${sa}`, 1.5],
    [() => `${buildingNumber()} ${sa}, ${c}, ${countryName(p)}`, 3],
    [() => `${buildingNumber()} ${sa} ${secondary()}, ${c}, ${countryName(p)} ${usZip()}`, 3],
    [() => `${buildingNumber()} ${sa}\n${c}, ${stateAbbr(p)} ${usZip()}`, 12],
    [() => `${buildingNumber()} ${sa}\n${c}\n, ${stateAbbr(p)}\n ${usZip()}`, 10],
    [() => `${buildingNumber()} ${sa}\n${c}\n, ${stateAbbr(p)}\n ${countryName(p)} ${usZip()}`, 10],
    [() => `${buildingNumber()} ${sa} ${secondary()}\n${c}, ${stateAbbr(p)} ${usZip()}`, 4],
    [() => military(p), 1.5],
    [() => poBox(), 0.7],
    [() => `${poBox()}, ${c} ${usZip()}`, 1],
    // national formats
    [() => `${sa}\n${localZip(p)} ${c}`, 3],
    [() => `${sa}, ${localZip(p)} ${c}`, 3],
    [() => `${sa}\n${localZip(p)} ${c}\n${countryName(p)}`, 3],
    [() => `${sa}, ${localZip(p)} ${c}, ${countryName(p)}`, 2],
    [() => `${sa}\n${c} ${localZip(p)}\n${countryName(p)}`, 2],
    [() => `${sa}, ${c}`, 2],
    [() => `${sa}, ${c}, ${stateName(p)} ${localZip(p)}`, 2],
    [() => `${sa} ${secondary()}\n${c}\n${localZip(p)}`, 1],
    [
      () =>
        `Flat ${int(1, 30)}, ${sa}\n${c.toUpperCase()}\n${letter()}${letter()}${int(1, 20)} ${int(1, 9)}${letter()}${letter()}`,
      1.5,
    ],
    [() => `${int(1, 400)} ${streetOnly(p)}, ${c}, ${stateAbbr(p)} ${usZip()}`, 4],
    [() => `${int(1, 400)} ${streetOnly(p)}\n${c}, ${stateName(p)} ${usZip()}\n${countryName(p)}`, 2],
    [() => `${int(1, 9999)} ${streetOnly(p)}`, 2],
    [() => sa, 3],
  ]);
  return layout();
}

function organization(): string {
  const r = rnd();
  if (r < 0.25) return pick(KNOWN_ORGS);
  if (r < 0.55) {
    let s = pick(ORG_PARTS_A) + pick(ORG_PARTS_B);
    s = chance(0.8) ? cap(s) : cap(pick(ORG_PARTS_A)) + cap(pick(ORG_PARTS_B));
    if (chance(0.35)) s += ` ${pick(ORG_TAILS)}`;
    return s;
  }
  if (r < 0.7) {
    const l = () => lastName(pickLocale(LOCALES));
    return weighted<() => string>([
      [() => `${l()}-${l()}`, 3],
      [() => `${l()}, ${l()} and ${l()}`, 2],
      [() => `${l()} ${pick(['Inc.', 'Inc', 'LLC', 'Ltd', 'Group', 'PLC', 'and Sons', '& Co.', 'GmbH', 'AG'])}`, 3],
      [() => `${l()} & ${l()}`, 1],
      [() => `${l()} ${pick(['Consulting', 'Partners', 'Associates', 'Holdings', 'Industries', 'Logistics'])}`, 1],
    ])();
  }
  if (r < 0.85) {
    const loc = pickLocale(LOCALES.filter((l) => !l.translit && !l.first));
    const v = tryFaker(() => fakerFor(loc.id).company.name(), 'Acme Inc.');
    return isLatin(v.replace(/[0-9&,]/g, '')) ? v : fakerFor('en').company.name();
  }
  const w1 = cap(pick(allLocales.en.word?.adjective ?? ['blue']));
  const w2 = cap(pick(allLocales.en.word?.noun ?? ['sky']));
  return `${w1} ${w2} ${pick(ORG_TAILS)}`;
}

function jobTitle(): string {
  const r = rnd();
  if (r < 0.8) return pick(JOB_TITLES);
  if (r < 0.92) return fakerFor('en').person.jobTitle();
  return `${pick(['Senior', 'Junior', 'Lead', 'Chief', 'Assistant', 'Head'])} ${pick(JOB_TITLES).toLowerCase()}`;
}

function nationality(): string {
  const c = pick(COUNTRY_TABLE);
  const r = rnd();
  if (r < 0.6) return c.adjective;
  if (r < 0.72) return c.adjective.toLowerCase();
  if (r < 0.85) return c.people;
  return c.people.toLowerCase();
}

function religion(plural = chance(0.4)): string {
  const r = pick(RELIGIONS);
  return plural ? r[1] : r[0];
}

function political(plural = chance(0.4)): string {
  const r = pick(POLITICAL);
  return plural ? r[1] : r[0];
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function year(): string {
  return String(int(1930, 2024));
}

function date(): string {
  const y = int(1930, 2024);
  const m = int(1, 12);
  const d = int(1, 28);
  return weighted([
    [`${m}/${d}/${y}`, 5],
    [`${y}-${pad2(m)}-${pad2(d)}`, 3],
    [`${pad2(d)}.${pad2(m)}.${y}`, 2],
    [`${pad2(d)}/${pad2(m)}/${y}`, 2],
    [`${MONTHS[m - 1]} ${d}, ${y}`, 3],
    [`${d} ${MONTHS[m - 1]} ${y}`, 3],
    [`${MONTHS[m - 1]} ${y}`, 1],
    [`${MONTHS[m - 1].slice(0, 3)} ${d}, ${y}`, 1],
    [`${d} ${MONTHS[m - 1]}`, 1],
    [`${MONTHS[m - 1]} ${d}`, 1],
  ]);
}

function dateTime(): string {
  const y = int(1970, 2024);
  return `${y}-${pad2(int(1, 12))}-${pad2(int(1, 28))} ${pad2(int(0, 23))}:${pad2(int(0, 59))}:${pad2(int(0, 59))}`;
}

function dayOfWeek(): string {
  const d = pick(WEEKDAYS);
  return chance(0.1) ? d.toLowerCase() : d;
}

function timeOfDay(): string {
  return weighted([
    [`${int(1, 12)}:${pad2(int(0, 11) * 5)} ${pick(['am', 'pm', 'AM', 'PM', 'a.m.', 'p.m.'])}`, 2],
    [`${pad2(int(0, 23))}:${pad2(int(0, 11) * 5)}`, 2],
    [`${int(1, 12)} ${pick(['am', 'pm', 'AM', 'PM'])}`, 1],
  ]);
}

function anyDate(): string {
  return weighted<() => string>([
    [year, 3],
    [date, 4],
    [dateTime, 2],
    [dayOfWeek, 2],
  ])();
}

function age(): string {
  return weighted([
    [String(int(18, 89)), 8],
    [String(int(1, 17)), 1.5],
    [String(int(90, 104)), 0.5],
  ]);
}

// structured PII: labelled MISC so the tagger learns to leave it alone

function email(p: Profile): string {
  const first = p.first.normalize('NFD').replace(/[^A-Za-z]/g, '') || 'user';
  const last = p.last.normalize('NFD').replace(/[^A-Za-z]/g, '') || 'name';
  const dom = pick([
    'gmail.com',
    'yahoo.com',
    'outlook.com',
    'example.org',
    'mail.de',
    'cuvox.de',
    'rhyta.com',
    'jourrapide.com',
    'teleworm.us',
    'web.de',
    'gustr.com',
    'fleckens.hu',
    'armyspy.com',
    'company.co.uk',
    'proton.me',
  ]);
  return weighted([
    [`${first}${last}@${dom}`, 3],
    [`${first.toLowerCase()}.${last.toLowerCase()}@${dom}`, 3],
    [`${first[0].toLowerCase()}${last.toLowerCase()}${int(1, 99)}@${dom}`, 2],
    [`${last}${first[0]}@${dom}`, 1],
  ]);
}

function phone(): string {
  if (chance(0.45)) {
    return weighted([
      [`${digits(3)}-${digits(3)}-${digits(4)}`, 3],
      [`(${digits(3)}) ${digits(3)}-${digits(4)}`, 2],
      [`(${digits(3)})${digits(3)}-${digits(4)}`, 1],
      [`+1-${digits(3)}-${digits(3)}-${digits(4)}`, 1],
      [`001-${digits(3)}-${digits(3)}-${digits(4)}`, 0.5],
      [`${digits(3)}-${digits(3)}-${digits(4)}x${digits(int(3, 4))}`, 0.5],
      [`${digits(3)}.${digits(3)}.${digits(4)}`, 1],
      [`+44 7700 ${digits(3)} ${digits(3)}`, 1],
      [`07700 ${digits(6)}`, 1],
      [`+41 (0)${int(2, 9)}${digits(1)} ${digits(3)} ${digits(2)} ${digits(2)}`, 1],
      [`+46 (0)${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`, 0.5],
      [digits(10), 1],
      [`+91${digits(10)}`, 0.5],
    ]);
  }
  // generic: a few digit groups with one separator style, optional country code / extension
  const sep = pick([' ', ' ', '-', '.', '']);
  const groups = int(2, 5);
  const parts: string[] = [];
  for (let i = 0; i < groups; i++) parts.push(digits(i === 0 ? int(2, 4) : int(2, 4)));
  let v = parts.join(sep || ' ');
  if (chance(0.25)) v = `+${int(1, 99)} ${v}`;
  else if (chance(0.15)) v = `(${digits(int(2, 3))}) ${v}`;
  if (chance(0.05)) v += `x${digits(3)}`;
  return v;
}

function creditCard(): string {
  const len = weighted([
    [16, 6],
    [15, 2],
    [13, 1],
    [14, 0.5],
    [19, 1],
  ]);
  const d = `${pick(['4', '5', '37', '6011', '35', '30', '2'])}${digits(20)}`.slice(0, len);
  return weighted([
    [d, 4],
    [d.replace(/(\d{4})(?=\d)/g, '$1 '), 2],
    [d.replace(/(\d{4})(?=\d)/g, '$1-'), 1],
  ]);
}

function iban(): string {
  return tryFaker(() => fakerFor('en').finance.iban({ formatted: chance(0.3) }), `GB${digits(2)}ABCD${digits(14)}`);
}

function ssn(): string {
  return chance(0.8) ? `${digits(3)}-${digits(2)}-${digits(4)}` : digits(9);
}

function ipAddress(): string {
  return chance(0.85) ? `${int(1, 255)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}` : fakerFor('en').internet.ipv6();
}

function url(p: Profile): string {
  const name = (cap(pick(ORG_PARTS_A)) + cap(pick(ORG_PARTS_B))).replace(/[^A-Za-z]/g, '');
  const tld = pick(['com', 'net', 'org', 'de', 'fr', 'se', 'be', 'co.uk', 'com.cy', 'io', 'hu', 'nl']);
  return weighted([
    [`https://www.${name}.${tld}/`, 3],
    [`http://${name}.${tld}/`, 2],
    [`${name.toLowerCase()}.${tld}`, 2],
    [`https://${name.toLowerCase()}.${tld}/${p.first.toLowerCase().replace(/[^a-z]/g, '')}`, 1],
  ]);
}

function driverLicense(): string {
  return weighted([
    [`${letter()}${digits(7)}`, 2],
    [`${letter()}${digits(12)}`, 1],
    [digits(9), 1],
    [`${letter()}${digits(3)}-${digits(3)}-${digits(2)}-${digits(3)}-${digits(1)}`, 1],
  ]);
}

// fillers: realistic non-entity text (titles, products, jargon, numbers) that must stay O

const en = (): Faker => fakerFor('en');
const WORDS = [
  ...(allLocales.en.word?.noun ?? []),
  ...(allLocales.en.word?.adjective ?? []),
  ...(allLocales.en.word?.verb ?? []),
];
const SMALL = ['of', 'the', 'and', 'in', 'to', 'a', 'for', 'on', 'with', 'my', 'you', 'we'];

function titleWords(): string {
  const n = int(2, 7);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && chance(0.25)) ws.push(pick(SMALL));
    else if (chance(0.08)) ws.push(String(int(2, 99)));
    else ws.push(pick(WORDS));
  }
  const titled = ws.map((w, i) => (i === 0 || chance(0.8) ? cap(w) : w));
  let t = titled.join(' ');
  if (chance(0.2)) t = `${t}: ${cap(pick(WORDS))} ${cap(pick(WORDS))}`;
  return t;
}

function numeric(): string {
  const n = int(1, 99);
  return weighted([
    [`${n}%`, 2],
    [`${n} million`, 1],
    [`${n}+ years`, 1],
    [`$${int(1, 999)}`, 1],
    [`${n} items`, 1],
    [`${n} km`, 1],
    [`${n} minutes`, 1],
    [`${n} times`, 1],
    [`top ${n}`, 0.5],
    [`#${n}`, 0.5],
    [`${n}th`, 0.5],
    [`page ${n}`, 0.5],
    [`version ${int(1, 9)}.${int(0, 20)}`, 0.5],
    [`${int(1, 64)} GB`, 0.5],
    [`${n} kg`, 0.5],
    [`${int(2, 12)} hours`, 0.5],
    [`${int(100, 9999)} users`, 0.5],
    [`step ${int(1, 9)}`, 0.5],
  ]);
}

function sentence(): string {
  return weighted<() => string>([
    [() => en().hacker.phrase(), 3],
    [() => `${cap(en().company.catchPhrase())}.`, 1],
    [() => en().commerce.productDescription(), 2],
    [() => `${cap(en().company.buzzPhrase())}.`, 1],
    [() => `I bought the ${en().commerce.productName()} and it broke after ${numeric()}.`, 1],
    [() => `Our sales grew by ${numeric()} this quarter.`, 0.5],
    [() => `${titleWords()}.`, 1],
    [() => `${cap(en().word.words(int(4, 9)))}.`, 1],
    [() => pick(NEGATIVE_SENTENCES), 2],
  ])();
}

// technical / markdown text without entities (commands, versions, ports, acronyms, product names)

const TECH_NAMES = lines(`
Llama
Vicuna
Mistral
Falcon
Pythia
Alpaca
Koala
Dolly
Guanaco
Orca
Phi
Gemma
Qwen
Claude
GPT
BERT
RoBERTa
T5
BLOOM
OPT
Stable Diffusion
Whisper
LoRA
QLoRA
PyTorch
TensorFlow
JAX
NumPy
Pandas
Docker
Kubernetes
Redis
Postgres
MongoDB
Kafka
Nginx
FastAPI
Flask
Django
React
Node
TypeScript
Python
Rust
Gradio
Streamlit
LangChain
HuggingFace
Transformers
DeepSpeed
vLLM
Triton
CUDA
ROCm
Colab
Jupyter
VS Code
Linux
Ubuntu
Windows
macOS
`);
const ACRONYMS = lines(`
API
CLI
GPU
CPU
RAM
VRAM
OOM
SFT
RLHF
DPO
PPO
LLM
NLP
UI
UX
JSON
YAML
CSV
HTTP
HTTPS
REST
SQL
SDK
URL
PR
CI
CD
FAQ
TODO
README
NSFW
MIT
BSD
GPL
AWQ
GPTQ
FP16
BF16
INT8
ONNX
`);

function techName(): string {
  const w = (): string => cap(pick(WORDS).replace(/[^a-z]/gi, ''));
  return weighted<() => string>([
    [() => pick(TECH_NAMES), 4],
    [() => `${pick(TECH_NAMES)}-${int(1, 70)}${pick(['B', 'b', 'M'])}`, 2],
    [() => `${pick(TECH_NAMES)} ${int(1, 4)}`, 1],
    [() => `${w()}${w()}`, 2],
    [() => `${w()}-${w()}`, 1.5],
    [() => `${w()}-${pick(['AI', 'ML', 'LM', 'DB', 'IO'])}`, 1],
    [() => `${pick(ACRONYMS)}`, 2],
    [() => `${w().toUpperCase()}`, 1],
    [() => `${w()} ${pick(ACRONYMS)}`, 1],
  ])();
}

function semver(): string {
  return `${int(0, 9)}.${int(0, 30)}.${int(0, 20)}`;
}

function techSentence(): string {
  const tn = techName;
  const word = (): string =>
    pick(WORDS)
      .replace(/[^a-z]/gi, '')
      .toLowerCase() || 'data';
  return weighted<() => string>([
    [() => `pip install ${word()}==${semver()}`, 1],
    [
      () =>
        `python3 -m ${word()}.${word()} --port ${int(1000, 65535)} --model-path ${word()}/${tn().replace(/ /g, '-')}`,
      2,
    ],
    [() => `## ${titleWords()}`, 2],
    [() => `### ${tn()} ${pick(['Support', 'Setup', 'Installation', 'Usage', 'Benchmark', 'Results', 'Notes'])}`, 2],
    [() => `- **${tn()}**: ${sentence()}`, 2],
    [() => `- ${cap(word())} ${word()} with ${tn()} (${pick(ACRONYMS)})`, 2],
    [() => `Run \`${word()} ${word()} --${word()} ${int(1, 64)}\` to start the ${tn()} server.`, 2],
    [
      () =>
        `\`\`\`bash\nexport ${word().toUpperCase()}_${pick(ACRONYMS)}=${int(0, 8)}\n${word()} --${word()} ${int(1, 99999)}\n\`\`\``,
      2,
    ],
    [() => `The ${tn()} model needs ${int(2, 80)} GB of ${pick(['GPU', 'CPU'])} memory.`, 2],
    [() => `${tn()} ${semver()} adds ${pick(ACRONYMS)} support and fixes ${int(2, 40)} bugs.`, 2],
    [() => `Set max_length to ${pick([512, 1024, 2048, 4096, 8192])} and batch size to ${int(1, 64)}.`, 1],
    [() => `Listening on http://localhost:${int(1000, 65535)}`, 1],
    [() => `See https://github.com/${word()}/${tn().replace(/ /g, '-')} for details.`, 1],
    [() => `| ${tn()} | ${int(1, 99)}.${int(0, 9)} | ${int(1, 99)}.${int(0, 9)} |`, 2],
    [() => `Thanks to the ${tn()} team for the ${pick(ACRONYMS)} integration!`, 1],
    [() => `${tn()} vs ${tn()}: which is faster on ${int(1, 8)} GPUs?`, 1],
    [() => `Error ${int(100, 599)}: ${titleWords()}`, 1],
    [() => `${int(1, 9)}. ${cap(word())} the ${tn()} ${pick(['checkpoint', 'dataset', 'config', 'weights'])}.`, 2],
    [() => `Released on ${tn()} Hub under the ${pick(['MIT', 'Apache-2.0', 'BSD'])} license.`, 1],
    [() => `if (${word()} > ${int(0, 100)}) { return ${word()}(${int(0, 9)}); }`, 1],
    [() => `${word()}_${word()} = ${int(0, 4096)}  # ${word()} ${word()}`, 1],
  ])();
}

/** Plain English sentences without entities (also used whole as negative samples). */
const NEGATIVE_SENTENCES = lines(`
Please Read The Instructions Carefully Before You Begin.
Customer Service is available Monday through Friday.
The Board approved the Annual Report and the Budget.
Capitalised Words Like Hope And Faith Are Not Names Here.
Click Save, then Export, then Close.
The API returns JSON by default; set Accept to text/plain for plain text.
Step 1: Install the package. Step 2: Run the tests.
Welcome to the Help Center. How can we help you today?
WARNING: DO NOT SHARE YOUR PASSWORD WITH ANYONE.
Terms and Conditions apply. See Section 4 for details.
I really like the new design, great job everyone.
Could you explain how the refund policy works?
The Quick Brown Fox jumps over the Lazy Dog.
Version 2.3 fixes 14 bugs and adds 3 features.
Chapter 7: The Return of the King
Our Mission: Quality, Integrity and Service.
The Model outputs a Score between 0 and 1.
Spring Sale: 20% off all Garden Furniture until the end of the month.
Love, Peace and Happiness to all of you.
Thanks again, and Happy New Year!
Table 3 shows the results for the last two quarters.
Press Ctrl+C to copy and Ctrl+V to paste.
The Senior Management Team will review the Proposal.
Total: 45.90 (incl. VAT)
Please respond within 30 days.
Room 204 is on the second floor.
Order of Operations: Parentheses, Exponents, Multiplication.
Truth and Justice were the themes of the speech.
New Features: Dark Mode, Offline Sync, Faster Search.
Is there a way to export my data as CSV?
The song reached number 3 on the charts and stayed there for 12 weeks.
Honestly the second album is better than the first one.
It was the best of times, it was the worst of times.
We need more Coffee and less Meetings.
Remember to bring your ID and a pen.
The Red Team found 4 issues and the Blue Team fixed them all.
Good Morning! Rise and Shine.
Our Core Values: Respect, Courage and Curiosity.
I can't log in, the page just keeps loading.
The Treaty was signed after long negotiations.
Only 2 tickets left for the Saturday show.
Use the Settings menu to change Notifications and Privacy.
The Committee will meet again after the holidays.
My Dog ate my Homework, again.
This is by far the Greatest Hits collection of the decade.
The Wizard, the Princess and the Dragon lived happily ever after.
Great question! The short answer is no.
Our prices increased by 5% due to inflation.
The Constitution guarantees Freedom of Speech.
You're Supposed To Love It, But Nobody Does.
I'd give it 4 out of 5 stars.
Thank you for contacting Support. Your request has been received.
The System will restart in 5 minutes.
Ladies and Gentlemen, welcome aboard.
The Prince and the Pauper is a classic.
My Favourite Things include Rain, Roses and Kittens.
Dear Customer, your Order has shipped.
The Engine, the Brakes and the Tyres were replaced.
Hi there! Can I ask a question about my order?
What is the difference between a Roth and a traditional plan?
He turned the Music up and the Lights down.
Bring Me The Horizon played last, which was a mistake.
The Sun rises in the East and sets in the West.
North, South, East and West are the four directions.
Mother Nature always wins.
I voted for the Proposal but the Council rejected it.
`);

// ---------------------------------------------------------------------------------------------------
// Placeholders// ---------------------------------------------------------------------------------------------------
// Placeholders

type Provider = (p: Profile) => string;

/** placeholder → [entity type, value provider] */
const PLACEHOLDERS: Record<string, [string, Provider]> = {
  name: ['PERSON', (p) => fullName(p)],
  first_name: ['PERSON', (p) => p.first],
  last_name: ['PERSON', (p) => p.last],
  other_name: ['PERSON', () => fullName(newProfile())],
  other_first: ['PERSON', () => newProfile().first],
  prefix: ['TITLE', () => weighted(PREFIXES)],
  job: ['TITLE', () => jobTitle()],
  city: ['LOCATION', (p) => city(p)],
  country: ['LOCATION', (p) => countryName(p)],
  state: ['LOCATION', (p) => stateName(p)],
  state_abbr: ['LOCATION', (p) => stateAbbr(p)],
  address: ['ADDRESS', (p) => fullAddress(p)],
  street_address: ['ADDRESS', (p) => streetAddress(p)],
  street_name: ['ADDRESS', (p) => streetOnly(p)],
  building_number: ['ADDRESS', () => buildingNumber()],
  secondary_address: ['ADDRESS', () => secondary()],
  postcode: ['ADDRESS', () => usZip()],
  po_box: ['ADDRESS', () => poBox()],
  zipcode: ['ZIP_CODE', (p) => (chance(0.5) ? localZip(p) : usZip())],
  organization: ['ORGANIZATION', () => organization()],
  nationality: ['NRP', () => nationality()],
  religion: ['NRP', () => religion()],
  political_group: ['NRP', () => political()],
  date: ['DATE_TIME', () => date()],
  year: ['DATE_TIME', () => year()],
  date_time: ['DATE_TIME', () => dateTime()],
  day_of_week: ['DATE_TIME', () => dayOfWeek()],
  time: ['DATE_TIME', () => timeOfDay()],
  any_date: ['DATE_TIME', () => anyDate()],
  month_name: ['DATE_TIME', () => pick(MONTHS)],
  age: ['AGE', () => age()],
  email: ['MISC', (p) => email(p)],
  phone_number: ['MISC', () => phone()],
  credit_card: ['MISC', () => creditCard()],
  iban: ['MISC', () => iban()],
  ssn: ['MISC', () => ssn()],
  ip_address: ['MISC', () => ipAddress()],
  url: ['MISC', (p) => url(p)],
  driver_license: ['MISC', () => driverLicense()],
  // fillers (no span)
  song: ['', () => en().music.songName()],
  album: ['', () => en().music.album()],
  book: ['', () => en().book.title()],
  product: ['', () => en().commerce.productName()],
  dish: ['', () => en().food.dish()],
  genre: ['', () => en().music.genre()],
  title_words: ['', () => titleWords()],
  numeric: ['', () => numeric()],
  sentence: ['', () => sentence()],
  tech: ['', () => techSentence()],
  tech_name: ['', () => techName()],
  vehicle: ['', () => en().vehicle.vehicle()],
};

export interface GenSpan {
  type: string;
  start: number;
  end: number;
}
export interface GenRecord {
  text: string;
  spans: GenSpan[];
  source: 'own' | 'shared-refill';
  template: string;
  template_id?: number;
}

const PH_RE = /\{\{([a-z_]+)\}\}/g;

/** Fills a template; `{{type:VALUE}}`-free, plain placeholders only. */
function fill(
  template: string,
  providers: Record<string, [string, Provider]> = PLACEHOLDERS,
): { text: string; spans: GenSpan[] } {
  const p = newProfile();
  let text = '';
  const spans: GenSpan[] = [];
  let last = 0;
  for (const m of template.matchAll(PH_RE)) {
    const key = m[1];
    const spec = providers[key];
    if (!spec) throw new Error(`unknown placeholder {{${key}}} in template: ${template}`);
    text += template.slice(last, m.index);
    const value = spec[1](p);
    if (spec[0]) {
      const prev = spans[spans.length - 1];
      const gap = template.slice(last, m.index);
      // "{{first_name}} {{last_name}}" is one person, as in the evaluation data
      if (spec[0] === 'PERSON' && prev?.type === 'PERSON' && prev.end === text.length - 1 && gap === ' ') {
        prev.end = text.length + value.length;
      } else spans.push({ type: spec[0], start: text.length, end: text.length + value.length });
    }
    text += value;
    last = (m.index ?? 0) + m[0].length;
  }
  text += template.slice(last);
  return { text, spans };
}

/** Applies the whole-sample case variants the evaluation data also has (lower-case ~5%). */
function caseVariant(rec: { text: string; spans: GenSpan[] }): { text: string; spans: GenSpan[] } {
  const r = rnd();
  // toLowerCase / toUpperCase can change the length of a few characters (İ); only apply when it does not
  if (r < 0.06) {
    const lo = rec.text.toLowerCase();
    if (lo.length === rec.text.length) return { text: lo, spans: rec.spans };
  } else if (r < 0.075) {
    const up = rec.text.toUpperCase();
    if (up.length === rec.text.length) return { text: up, spans: rec.spans };
  }
  return rec;
}

// ---------------------------------------------------------------------------------------------------
// Templates (written for this project; several styles and layouts)

const TEMPLATES: string[] = [
  // customer support, banking
  'Hi, my name is {{name}} and I would like to close my savings account.',
  'Could you send the replacement card to {{address}}? Thanks, {{first_name}}',
  'I noticed a charge I do not recognise on card {{credit_card}}. Please call me back, {{name}}.',
  'The account holder is {{prefix}} {{name}}, date of birth {{date}}.',
  'Please update my mailing address to {{address}}.',
  'My new address is {{address}}, effective {{date}}.',
  'I moved from {{city}} to {{city}} last month, can you change my branch?',
  'Transfer 500 EUR to {{iban}}, beneficiary {{name}}.',
  'Can {{first_name}} {{last_name}} be added as a joint owner of the account?',
  'This is {{first_name}} again, any update on my refund?',
  'Hello, I am writing on behalf of my mother, {{name}}, who lives at {{address}}.',
  'I tried calling {{phone_number}} but nobody picked up.',
  'Please send the documents to {{email}}, attention {{name}}.',
  'I was charged twice at {{organization}} on {{date}}.',
  'Why was my payment to {{organization}} declined? I am currently in {{city}}.',
  'My card stopped working while I was travelling in {{country}}.',
  'The statement was sent to my old address, {{street_address}}, {{city}}.',
  'Good morning, {{prefix}} {{last_name}} here. I need to reset my online banking password.',
  'Please cancel the standing order to {{organization}}.',
  'Can I open an account if I live in {{country}} but work in {{country}}?',
  'The cheque was made out to {{name}} but the bank rejected it.',
  'My husband {{first_name}} lost his wallet in {{city}} yesterday.',
  'Account: {{name}}\nIBAN: {{iban}}\nReason: rent for {{address}}',
  'Please confirm my zip code is {{zipcode}}.',
  'The zip code on file should be {{zipcode}}, not the old one.',
  'I live in {{city}}, {{state_abbr}} {{zipcode}}.',
  'Postal code: {{zipcode}}',
  'Billing ZIP {{zipcode}} does not match, please check.',
  // conversational / chat
  'Have you met {{first_name}}? She just moved here from {{country}}.',
  '{{first_name}} and {{other_first}} are getting married in {{city}} next spring.',
  'I think {{name}} would be perfect for the role.',
  'Tell {{first_name}} I said hi!',
  'lol {{first_name}} you are hilarious',
  'Did you see what {{name}} posted about {{organization}}?',
  'We stayed with {{first_name}} in {{city}} for a week.',
  'My cousin {{first_name}} works at {{organization}} as a {{job}}.',
  'Ask {{first_name}}, he knows everything about {{country}}.',
  'Is {{last_name}} still the head of the department?',
  'Apparently {{name}} has been promoted to {{job}}.',
  '{{first_name}}: are you coming tonight?\n{{other_first}}: yes, see you at {{time}}',
  'Happy birthday {{first_name}}! {{age}} already?',
  'My grandmother turned {{age}} on {{day_of_week}}.',
  'He is {{age}} years old and lives in {{city}}.',
  'Our neighbour, a {{age}}-year-old {{job}}, found the dog.',
  'I am {{age}} and have never been to {{country}}.',
  'She was only {{age}} when she moved to {{city}}.',
  'At {{age}}, {{first_name}} started her own company, {{organization}}.',
  'The {{nationality}} team won again.',
  'Most of my colleagues are {{nationality}}.',
  'He is a devout {{religion}} and volunteers at the local shelter.',
  'The {{political_group}} candidate won the district.',
  'They are {{religion}} and celebrate every holiday together.',
  'My family is {{nationality}} but I grew up in {{city}}.',
  'We ate at a small {{nationality}} restaurant on {{street_name}}.',
  'There is a great {{nationality}} bakery at {{address}}.',
  'Meet me on {{day_of_week}} at {{time}} near {{street_address}}.',
  'The party is on {{date}} at {{address}}.',
  'Let us catch up on {{day_of_week}}.',
  'I was born in {{year}} in {{city}}, {{country}}.',
  'We have lived here since {{year}}.',
  'The meeting moved to {{day_of_week}} {{time}}.',
  'See you {{day_of_week}}!',
  'The shop closes at {{time}} on weekdays.',
  // forms and records
  'Name: {{name}}\nDate of birth: {{date}}\nAddress: {{address}}',
  'Full name: {{name}}\nAge: {{age}}\nCity: {{city}}\nCountry: {{country}}',
  'First name: {{first_name}}\nLast name: {{last_name}}\nEmail: {{email}}\nPhone: {{phone_number}}',
  'NAME: {{name}}\nADDRESS: {{address}}\nZIP: {{zipcode}}',
  'Customer: {{name}} | Company: {{organization}} | City: {{city}}',
  'Applicant: {{prefix}} {{name}}\nOccupation: {{job}}\nEmployer: {{organization}}',
  'Emergency contact: {{name}} ({{phone_number}})',
  'Nationality: {{nationality}}\nPlace of birth: {{city}}\nDate of birth: {{date}}',
  'Passenger: {{last_name}}/{{first_name}} {{prefix}}\nFrom: {{city}}\nTo: {{city}}\nDate: {{date}}',
  'Ship to:\n{{name}}\n{{address}}',
  'Bill to: {{name}}, {{organization}}, {{address}}',
  'Recipient\t{{name}}\nStreet\t{{street_address}}\nCity\t{{city}}\nPostcode\t{{zipcode}}',
  'Employee: {{name}}; Title: {{job}}; Start date: {{date}}; Office: {{city}}',
  'Guest list:\n- {{name}}\n- {{other_name}}\n- {{other_name}}',
  'Attendees: {{name}}, {{other_name}}, {{other_name}} and {{other_name}}.',
  'Signed: {{name}}, {{job}}, {{organization}}',
  'Date: {{date_time}}\nUser: {{name}}\nLocation: {{city}}',
  'Timestamp {{date_time}} - login by {{first_name}} from {{ip_address}}',
  'DOB: {{date}}   SSN: {{ssn}}   Name: {{name}}',
  'Driver: {{name}}, license {{driver_license}}, {{state}}',
  // e-mail and letters
  'Dear {{prefix}} {{last_name}},\n\nThank you for your letter of {{date}}.\n\nKind regards,\n{{name}}\n{{job}}\n{{organization}}',
  'Hi {{first_name}},\n\nPlease find the contract attached.\n\nBest,\n{{name}}',
  'Dear {{first_name}},\nwe are happy to welcome you to {{organization}} as our new {{job}}.',
  '{{name}}\n{{job}}\n{{organization}}\n{{address}}\nTel: {{phone_number}}',
  '{{name}}\n{{organization}}\n{{street_address}}\n{{zipcode}} {{city}}\n{{country}}',
  '--\n{{name}} | {{job}} | {{organization}} | {{city}}',
  'From: {{name}} <{{email}}>\nTo: {{other_name}}\nSubject: Visit to {{city}}',
  'Best regards,\n\n{{prefix}} {{name}}\n{{organization}}',
  'Regards, {{first_name}} ({{organization}}, {{city}} office)',
  'Sincerely,\n{{name}}\n{{address}}',
  'Thanks {{first_name}}! Forwarding to {{other_name}} at {{organization}}.',
  'Please welcome {{name}}, who joins us from {{organization}} in {{city}}.',
  'To whom it may concern: {{name}} worked for us from {{year}} to {{year}} as a {{job}}.',
  'cc: {{name}}, {{other_name}}',
  // medical notes
  'Patient {{name}}, {{age}} y/o, presents with chest pain since {{day_of_week}}.',
  'Pt is a {{age}} yo female from {{city}} with a history of asthma.',
  '{{age}}-year-old male, referred by {{prefix}} {{last_name}} for knee pain.',
  'Seen by {{prefix}} {{name}} on {{date}}. Follow-up in two weeks.',
  'Patient: {{last_name}}, {{first_name}}\nDOB: {{date}}\nAge: {{age}}\nReferring physician: {{prefix}} {{last_name}}',
  'Mrs. {{last_name}} is a {{age}} year old {{job}} who reports headaches.',
  'The patient, a {{age}}-year-old {{nationality}} man, was admitted on {{date}}.',
  'Discharged on {{date}} to the care of her daughter {{first_name}}.',
  'Allergies: none. Next of kin: {{name}} ({{phone_number}}).',
  'Admitted to {{organization}} in {{city}} after a fall at home.',
  // support tickets / IT
  'Ticket #{{building_number}}: user {{name}} cannot log in from {{city}}.',
  'Assigned to {{first_name}}. Customer {{name}} reports the app crashes on startup.',
  'Reporter: {{name}} ({{organization}})\nPriority: high\nSummary: VPN drops every hour',
  'The shipment to {{address}} was returned to sender.',
  'Order 4471 for {{name}} is delayed at the {{city}} depot.',
  'Courier could not find {{street_address}}, please confirm the address.',
  'Escalated by {{prefix}} {{last_name}} from {{organization}} on {{date}}.',
  'Access request: {{name}}, {{job}}, needs read access to the finance share.',
  'Customer {{first_name}} called at {{time}} about invoice 2231.',
  'Delivery window: {{day_of_week}} {{time}} - {{time}}, {{address}}',
  // HR / CV
  '{{name}} is a {{job}} with ten years of experience at {{organization}}.',
  'Experienced {{job}} based in {{city}}, looking for new opportunities.',
  'From {{year}} to {{year}} I worked at {{organization}} in {{city}} as {{job}}.',
  'References available from {{name}}, {{job}} at {{organization}}.',
  'Candidate: {{name}}, {{age}}, currently {{job}} at {{organization}}.',
  'We are hiring a {{job}} for our {{city}} office.',
  '{{organization}} appointed {{name}} as its new {{job}}.',
  'I used to be a {{job}} at {{organization}} before moving to {{country}}.',
  'After {{year}} she worked as a {{job}} in {{city}}.',
  // news-like
  '{{name}}, a spokesperson for {{organization}}, declined to comment.',
  'The {{nationality}} prime minister met {{name}} in {{city}} on {{day_of_week}}.',
  'Police in {{city}} are looking for {{name}}, {{age}}, who went missing on {{date}}.',
  '{{organization}} announced record profits in {{year}}.',
  'Shares of {{organization}} fell after the CEO, {{name}}, resigned.',
  'Flooding hit {{city}} and large parts of {{state}} overnight.',
  'The {{nationality}} government said it would reopen its embassy in {{city}}.',
  '{{organization}} will open a new factory near {{city}}, {{country}}.',
  'In {{year}}, {{name}} founded {{organization}} in a garage in {{city}}.',
  '{{name}} ({{age}}) was sentenced on {{date}}.',
  'A {{age}}-year-old woman from {{city}} won the lottery.',
  'Thousands of {{religion}} pilgrims arrived in {{city}}.',
  'The {{political_group}} party gained seats in {{country}}.',
  'Officials in {{country}} confirmed the agreement with {{organization}}.',
  'Mayor {{name}} of {{city}} opened the new bridge on {{date}}.',
  // reviews, culture
  'The album was produced by {{name}} and released by {{organization}} in {{year}}.',
  'I saw {{name}} live in {{city}} back in {{year}}, still the best concert ever.',
  'This novel by {{name}} is set in {{city}} during the {{year}} floods.',
  'Directed by {{name}}, the film follows a {{nationality}} family in {{city}}.',
  'A cover of the {{last_name}} classic, recorded in {{city}}.',
  'Nobody sings it like {{first_name}} does.',
  'Starring {{name}} and {{other_name}}.',
  'The band formed in {{city}} in {{year}} when {{first_name}} met {{other_first}}.',
  'Written by {{name}} when she was {{age}}.',
  '{{last_name}} was a huge fan of the {{nationality}} new wave.',
  'Best restaurant in {{city}}! Ask for {{first_name}}, she is the best waitress.',
  'Stayed at the {{organization}} hotel in {{city}}, would not recommend.',
  'Great service from {{first_name}} at the {{city}} branch of {{organization}}.',
  // travel
  'Flight from {{city}} to {{city}} on {{date}}, passenger {{name}}.',
  'I will be in {{country}} from {{date}} until {{date}}.',
  'Our hotel is at {{address}}, close to the station.',
  'Pick me up at {{street_address}} at {{time}}.',
  'The tour starts in {{city}} and ends in {{city}}, {{country}}.',
  'We crossed from {{country}} into {{country}} by train.',
  'Visa application for {{name}}, citizen of {{country}}, born {{date}}.',
  'Can you recommend a hotel near {{street_name}} in {{city}}?',
  'Taxi to {{address}} please.',
  'Take the bus to {{street_name}} and walk two blocks.',
  'The museum is on the corner of {{street_name}} and {{street_name}}.',
  'She lives at {{street_address}}, apartment {{building_number}}.',
  'He lives on {{street_name}} in {{city}}.',
  'Their office moved to {{address}}.',
  'Send the parcel to {{po_box}}, {{city}}.',
  'Mailing address: {{po_box}}',
  // multi-line addresses in national formats
  '{{name}}\n{{street_address}}\n{{zipcode}} {{city}}',
  '{{name}}\n{{address}}',
  '{{prefix}} {{name}}\n{{building_number}} {{street_name}}\n{{city}}, {{state_abbr}} {{postcode}}',
  '{{name}}\n{{organization}}\n{{building_number}} {{street_name}} {{secondary_address}}\n{{city}} {{state}} {{zipcode}}',
  '{{name}}\n\n{{building_number}} {{street_address}}\n {{secondary_address}}\n {{city}}\n {{country}} {{postcode}}',
  '{{name}}\n{{street_address}} {{secondary_address}}\n{{city}}\n{{state_abbr}}\n{{zipcode}}',
  'Deliver to: {{name}}, {{building_number}} {{street_address}}, {{city}}',
  '{{organization}}\nAttn: {{name}}\n{{address}}',
  '> {{name}}\n> {{organization}}\n> {{address}}',
  '* {{name}}\n* {{street_address}}\n* {{city}}\n* {{country}}',
  '{{name}}, {{street_address}}, {{zipcode}} {{city}}, {{country}}',
  '{{street_address}}\n{{city}} {{zipcode}}',
  '{{building_number}} {{street_name}}, {{city}}',
  '{{first_name}} lives at {{building_number}} {{street_address}} in {{city}}.',
  '{{prefix}} {{name}} {{secondary_address}} {{building_number}} {{street_address}}\n{{city}} {{state_abbr}} {{zipcode}}',
  'Address line 1: {{street_address}}\nAddress line 2: {{secondary_address}}\nCity: {{city}}\nState: {{state}}\nZIP: {{zipcode}}',
  // component-style address blocks (street parts are ADDRESS, city and country LOCATION)
  '{{building_number}} {{street_address}}\n {{secondary_address}}\n {{city}}\n {{country}} {{postcode}}',
  '{{name}}\n{{building_number}} {{street_address}}\n {{secondary_address}}\n {{city}}\n {{country}} {{postcode}}',
  '{{organization}}\n\n{{building_number}} {{street_address}}\n{{secondary_address}}\n{{city}}\n{{country}} {{postcode}}',
  '- {{name}}\n- {{building_number}} {{street_address}}\n- {{secondary_address}}\n- {{city}}\n- {{country}} {{postcode}}',
  '{{name}}, {{building_number}} {{street_address}}, {{secondary_address}}, {{city}}, {{country}} {{postcode}}',
  'Home:\n{{building_number}} {{street_address}}\n {{city}}\n {{country}}',
  '{{name}}\n\n{{city}}\n{{country}}',
  '{{city}}, {{country}}',
  '{{city}}\n{{country}}',
  // organisations as subjects and objects
  '{{organization}} is a consulting firm based in {{city}}.',
  '{{organization}} is a non-profit that supports young musicians in {{city}}.',
  '{{organization}} is one of the largest employers in {{country}}.',
  '{{organization}} is an {{nationality}} software company.',
  '{{organization}} makes the best headphones on the market.',
  'Last year {{organization}} opened a studio in {{city}}.',
  'The song was recorded for {{organization}} in {{year}}.',
  'The album came out on {{organization}} records.',
  'I got an offer from {{organization}}!',
  'We partnered with {{organization}} and {{organization}} on this project.',
  'Shares in {{organization}} rose {{numeric}} on {{day_of_week}}.',
  'Both {{organization}} and {{organization}} declined to comment.',
  'A report by {{organization}} found that prices are rising.',
  '{{organization}} employees in {{city}} went on strike.',
  'Before {{organization}}, she worked at {{organization}}.',
  // lists
  'Winners: 1. {{name}} 2. {{other_name}} 3. {{other_name}}',
  'The committee: {{name}} (chair), {{other_name}}, {{other_name}}.',
  'Offices in {{city}}, {{city}}, {{city}} and {{city}}.',
  'We ship to {{country}}, {{country}} and {{country}}.',
  'Speakers include {{name}} of {{organization}} and {{other_name}} of {{organization}}.',
  '{{first_name}}, {{other_first}}, {{other_first}}: please review by {{day_of_week}}.',
  // short answers
  '{{name}}',
  'It is {{name}}.',
  'My surname is {{last_name}}.',
  'Call me {{first_name}}.',
  'Just {{first_name}} is fine.',
  'I go by {{first_name}}.',
  'The name is {{last_name}}, {{name}}.',
  'From {{city}}.',
  'In {{country}}.',
  '{{address}}',
  '{{organization}}',
  'Born {{date}}.',
  'Age {{age}}.',
  '{{age}}',
  '{{zipcode}}',
  'My zip is {{zipcode}}',
  'I work at {{organization}}.',
  'I am a {{job}}.',
  'Occupation: {{job}}',
  'Job title: {{job}}',
  'She is {{nationality}}.',
  'We are {{nationality}}.',
  // structured PII noise with context entities
  'My email is {{email}} and my phone is {{phone_number}}.',
  'Card {{credit_card}}, expiry 09/27, holder {{name}}.',
  'SSN {{ssn}} belongs to {{name}}.',
  'IP {{ip_address}} tried to access the account of {{first_name}}.',
  'Visit {{url}} for more about {{organization}}.',
  'Reach {{first_name}} at {{email}} or {{phone_number}}.',
  'License {{driver_license}} was issued in {{state}} on {{date}}.',
  'Wire to {{iban}} ({{organization}}, {{city}}).',
  // technical text: no entities, or entities inside technical context
  '{{tech}}',
  '{{tech}}',
  '{{tech}}\n{{tech}}',
  '{{tech}}\n{{tech}}\n{{tech}}',
  '{{tech}} {{sentence}}',
  '# {{tech_name}}\n\n{{tech}}\n{{tech}}',
  'Maintainer: {{name}} <{{email}}>',
  'Contributed by {{name}} ({{organization}}).',
  '{{tech}}\nThanks to {{name}} for the fix!',
  '{{organization}} released {{tech_name}} {{numeric}} ago.',
  'Author: {{name}}\nDate: {{date}}\n\n{{tech}}',
  '{{name}} ({{organization}}) presented {{tech_name}} at the {{city}} meetup.',
  '## Contact\n\n{{name}}, {{job}}, {{email}}',
  'Copyright {{year}} {{organization}}. All rights reserved.',
  // negatives and prose with fillers
  '{{sentence}}',
  '{{sentence}}',
  '{{sentence}} {{sentence}}',
  '{{title_words}}',
  '{{title_words}}: {{sentence}}',
  'My favourite song is {{song}}, it never gets old.',
  'Have you read {{book}}? The ending is wild.',
  'The {{product}} I ordered arrived damaged.',
  'Best {{genre}} album of the year? Probably {{album}}.',
  'We had {{dish}} for dinner and it was great.',
  'The sequel, {{book}}, sold {{numeric}} copies.',
  'Sales were up {{numeric}} compared with last year.',
  'It took {{numeric}} to get through security.',
  'Refunds take up to {{numeric}}.',
  'The {{vehicle}} needs new tyres.',
  'Track 4, {{song}}, is the highlight of the record.',
  'Rated {{numeric}} by critics, {{album}} is a must-listen.',
  // prose with entities in varied positions
  '{{name}} wrote {{song}} in {{year}}, shortly after moving to {{city}}.',
  '{{song}} by {{name}} is still my favourite.',
  'In {{book}}, {{last_name}} describes growing up in {{city}}.',
  '{{name}} covered {{song}} on the {{album}} tour.',
  'The {{product}} was designed by {{name}} at {{organization}}.',
  'I first heard {{song}} at a party in {{city}} in {{year}}.',
  '{{country}} is beautiful in the spring.',
  '{{country}} was the highlight of our trip.',
  '{{city}} is where I grew up.',
  '{{city}} has the best coffee in the world.',
  'Why does everyone love {{city}} so much?',
  'Is {{country}} safe to visit right now?',
  'The weather in {{city}} was awful.',
  'The plane landed at {{city}} an hour late.',
  'The train arrived at {{city}} at {{time}}.',
  'We stopped at {{city}} on the way to {{city}}.',
  'The prime minister arrived at {{city}} from {{country}} this morning.',
  'The University of {{city}} offers a great program.',
  'She studied law at the University of {{city}}.',
  'We drove across {{country}} in {{numeric}}.',
  'The {{city}} marathon takes place every {{day_of_week}}.',
  'Welcome to {{city}}!',
  '{{city}} city council voted against the plan.',
  'The road from {{city}} to {{city}} is closed.',
  'Greetings from sunny {{city}}!',
  'They returned to {{city}} by train.',
  'The festival moved from {{city}} to {{country}} this year.',
  'He spent {{numeric}} in {{country}} and loved it.',
  '{{first_name}} is the kindest person I know.',
  '{{first_name}} never answers the phone.',
  'Without {{first_name}}, none of this would have happened.',
  'Everyone agrees that {{last_name}} played the best guitar solo.',
  '{{last_name}} and {{last_name}} were the best duo of the decade.',
  'Nobody plays like {{last_name}} anymore.',
  'Thank you, {{first_name}}, for everything.',
  'I asked {{first_name}} to call you back.',
  'According to {{name}}, the meeting was a success.',
  '{{name}} said the plan would cost {{numeric}}.',
  'A message from {{name}}: the office is closed {{day_of_week}}.',
  '"Who are you?" asked {{first_name}}.',
  '{{first_name}} shouted: "Get out of my house!"',
  '{{first_name}}: I told you so.\n{{other_first}}: You did.',
  'Our daughter {{first_name}} starts school in {{city}} next year.',
  'My father, {{name}}, was a {{job}} in {{city}}.',
  'It is under the name {{last_name}}, I think.',
  'The booking is for {{prefix}} {{last_name}}, two nights.',
  'Please put it under {{name}}.',
  'The reservation is in the name of {{name}}.',
  "{{name}}'s new album is out {{day_of_week}}.",
  "{{first_name}}'s birthday is on {{date}}.",
  "I borrowed {{first_name}}'s car.",
  "{{organization}}'s new CEO, {{name}}, starts in {{year}}.",
  '{{organization}} is a design studio based in {{city}}.',
  '{{organization}} was founded in {{year}} by {{name}}.',
  '{{organization}} has offices in {{city}} and {{city}}.',
  'According to the {{organization}} website, the store opens at {{time}}.',
  'I have been a customer of {{organization}} for {{numeric}}.',
  'She left {{organization}} to join {{organization}}.',
  '{{organization}} acquired {{organization}} for {{numeric}}.',
  'The {{organization}} team will present on {{day_of_week}}.',
  '{{organization}} is hiring in {{city}}.',
  'Is {{organization}} still in business?',
  'My contract with {{organization}} ends in {{year}}.',
  'He works for {{organization}} in {{city}}, {{country}}.',
  '{{name}} of {{organization}} and {{other_name}} of {{organization}} signed the deal.',
  '{{organization}} sponsors the {{city}} orchestra.',
  'The {{organization}} choir was formed in {{year}}.',
  'Support for {{organization}} ended on {{date}}.',
  '{{name}}, {{job}} at {{organization}}, told reporters that sales rose {{numeric}}.',
  'Our {{job}}, {{name}}, will contact you.',
  '{{name}}, the {{job}}, was not available for comment.',
  'As a {{job}}, {{first_name}} travels a lot.',
  'She trained as a {{job}} in {{country}}.',
  'The new {{job}} starts on {{day_of_week}}.',
  'I am looking for a job as a {{job}}.',
  'Position: {{job}} ({{city}})',
  '{{prefix}} {{last_name}} will see you now.',
  'Thank you, {{prefix}} {{last_name}}.',
  'Good evening, {{prefix}} {{name}}.',
  'Appointment with {{prefix}} {{last_name}} on {{date}} at {{time}}.',
  'Is {{prefix}} {{last_name}} available {{day_of_week}}?',
  'The {{nationality}} delegation arrived in {{city}} on {{day_of_week}}.',
  'She speaks fluent {{nationality}}.',
  'A {{nationality}} company bought the factory.',
  'The {{nationality}} embassy is on {{street_name}}.',
  'Many {{religion}} families live in this area.',
  'The {{religion}} community held a vigil.',
  '{{political_group}} voters turned out in large numbers.',
  'The {{nationality}} and {{nationality}} leaders met in {{city}}.',
  '{{nationality}} cuisine is my favourite.',
  'I am {{nationality}} and live in {{country}}.',
  'The {{nationality}} border police stopped the bus.',
  'It is a {{year}} {{nationality}} drama directed by {{name}}.',
  'The movie, released in {{year}}, stars {{name}} as a {{job}}.',
  'On {{date}} the {{nationality}} parliament approved the law.',
  'Since {{year}}, the company has grown steadily.',
  'The building dates from {{year}}.',
  'By {{year}} the population had doubled.',
  'Between {{year}} and {{year}} the band toured {{country}}.',
  'Last seen on {{date}} near {{street_address}}.',
  'Due date: {{date}}',
  'Appointment: {{day_of_week}}, {{date}} at {{time}}',
  'Created {{date_time}} by {{first_name}}',
  'The deadline is {{date}}.',
  'Shipped on {{date}}, expected {{day_of_week}}.',
  'We met on a {{day_of_week}} in {{year}}.',
  'The office is closed on {{day_of_week}}s.',
  'Every {{day_of_week}} we play football.',
  'I have been waiting since {{date}}.',
  'My son is {{age}}.',
  'He was {{age}} when he wrote it.',
  'Age: {{age}}',
  'Patient age {{age}}, weight 70 kg.',
  'The victim, {{age}}, was taken to hospital.',
  'She will be {{age}} next month.',
  'A {{age}} year old driver was injured.',
  'Retired at {{age}} after {{numeric}}.',
  'Aged {{age}}, {{first_name}} ran her first marathon.',
  'My mom is {{age}} years young!',
  'I will turn {{age}} in {{month_name}}.',
  'She just turned {{age}}.',
  'He turned {{age}} last week.',
  'My sister turns {{age}} on {{day_of_week}}.',
  'A {{age}} year old woman was treated for burns.',
  'The {{age}} year old patient reports dizziness.',
  'Male, {{age}}, no known allergies.',
  'The boy, aged {{age}}, was unharmed.',
  'He died at the age of {{age}}.',
  'She retired at the age of {{age}} after a long career.',
  'Our {{age}}-year-old son loves trains.',
  'Twins, both {{age}} years old, were rescued.',
  'His ZIP code is {{zipcode}}.',
  'Zip: {{zipcode}}\nCity: {{city}}',
  'Enter your postal code ({{zipcode}}) to find a store.',
  'Free delivery to {{zipcode}} and nearby areas.',
  'The {{zipcode}} area has the highest rents.',
  'Postcode {{zipcode}}, {{city}}',
  '{{city}} {{zipcode}}',
  'I moved to {{city}}, {{zipcode}} last year.',
  // addresses in prose
  'They live at {{address}}.',
  'The letter was addressed to {{address}}.',
  'Our new office: {{address}}',
  'Return address: {{address}}',
  'The venue is {{address}}, doors open at {{time}}.',
  'Can you deliver to {{address}} instead?',
  'I am at {{street_address}}, outside the bakery.',
  'The accident happened on {{street_name}} near {{street_name}}.',
  'Turn left on {{street_name}}.',
  'The shop on {{street_name}} closed down.',
  'It is the house at {{street_address}}.',
  'The store is at {{building_number}} {{street_name}}.',
  'He grew up on {{street_name}} in {{city}}.',
  'Our flat is at {{street_address}}, {{secondary_address}}.',
  'Please forward my mail to {{po_box}}.',
  '{{organization}}, {{address}}',
  '{{organization}} | {{street_address}} | {{zipcode}} {{city}} | {{phone_number}}',
  'Head office: {{organization}}, {{street_address}}, {{city}}',
  'Registered office: {{address}}',
  'Office: {{phone_number}}\nMobile: {{phone_number}}\nFax: {{phone_number}}',
  'Mobile: {{phone_number}}',
  'Tel. {{phone_number}} / Fax {{phone_number}}',
  'Call us on {{phone_number}} ({{day_of_week}} to {{day_of_week}}).',
  'Please block card number {{credit_card}} immediately.',
  'Card no {{credit_card}} was declined.',
  'My IBAN: {{iban}}',
  'Website: {{url}}\nE-mail: {{email}}',
  'Server {{ip_address}} is down again.',
  // chat, lower-case and informal
  'hey {{first_name}} r u coming to {{city}} this weekend',
  'omg {{first_name}} just texted me',
  'ok so {{first_name}} and {{other_first}} broke up??',
  'anyone know a good dentist in {{city}}?',
  'moving to {{country}} next month, any tips?',
  'thx {{first_name}}!!',
  'who is {{name}}?',
  'ask {{first_name}} lol',
  'my address is {{address}} pls send asap',
  'i work at {{organization}} now',
  'Hi there, this is {{name}} from {{organization}}, returning your call.',
  'Hello {{prefix}} {{last_name}}, your table is ready.',
  // bios and CV lines
  '{{name}} ({{year}}) is a {{nationality}} {{job}} and writer.',
  '{{name}} is a {{nationality}} {{job}} based in {{city}}.',
  'Born in {{city}} in {{year}}, {{first_name}} studied at the University of {{city}}.',
  '{{first_name}} {{last_name}} joined {{organization}} in {{year}} as a {{job}}.',
  'Education: University of {{city}}, {{year}}',
  'Experience: {{job}}, {{organization}}, {{city}} ({{year}} - {{year}})',
  'Skills: Excel, SQL, Project Management',
  'Languages: {{nationality}}, English',
  // lists and tables
  '{{name}}\t{{age}}\t{{city}}',
  '{{name}}, {{age}}, {{job}}',
  '{{name}};{{email}};{{city}};{{country}}',
  '| {{name}} | {{organization}} | {{city}} |',
  '1. {{name}}\n2. {{other_name}}\n3. {{other_name}}',
  'Team: {{first_name}}, {{other_first}}, {{other_first}} and {{other_first}}',
  'Cities visited: {{city}}, {{city}}, {{city}}.',
  'Countries: {{country}}; {{country}}; {{country}}',
];

// ---------------------------------------------------------------------------------------------------
// Shared-set template refills

interface SharedSample {
  full_text: string;
  masked: string;
  spans: { entity_type: string; start_position: number; end_position: number }[];
  template_id: number;
}

export const SHARED_TYPE_MAP: Record<string, string> = {
  PERSON: 'PERSON',
  STREET_ADDRESS: 'ADDRESS',
  GPE: 'LOCATION',
  ORGANIZATION: 'ORGANIZATION',
  TITLE: 'TITLE',
  NRP: 'NRP',
  DATE_TIME: 'DATE_TIME',
  AGE: 'AGE',
  ZIP_CODE: 'ZIP_CODE',
};

const COUNTRY_SET = new Set(
  [...COUNTRY_TABLE.map((c) => c.country), ...EXTRA_COUNTRY_NAMES, ...(allLocales.en.location?.country ?? [])].map(
    (s) => s.toLowerCase(),
  ),
);

/** Infers which value generator produced each placeholder of a shared template from its first example. */
function inferPlaceholders(sample: SharedSample): string[] | undefined {
  const spans = [...sample.spans].sort((a, b) => a.start_position - b.start_position);
  const holes = [...sample.masked.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]);
  if (holes.length !== spans.length) return undefined;
  const out: string[] = [];
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    if (s.entity_type !== holes[i]) return undefined;
    const v = sample.full_text.slice(s.start_position, s.end_position);
    const prev = i > 0 ? holes[i - 1] : '';
    const tokens = v.trim().split(/\s+/);
    switch (s.entity_type) {
      case 'PERSON':
        out.push(tokens.length === 1 ? 'person_single' : 'name');
        break;
      case 'STREET_ADDRESS':
        if (/\n|,/.test(v) || tokens.length > 5) out.push('address');
        else if (/^\d+$/.test(v)) out.push(prev === 'GPE' ? 'postcode' : 'building_number');
        else if (/^(apt|suite)/i.test(v)) out.push('secondary_address');
        else if (/^the corner/i.test(v)) out.push('address');
        else if (/\d/.test(v)) out.push('street_address');
        else out.push('street_name');
        break;
      case 'GPE':
        if (COUNTRY_SET.has(v.toLowerCase())) out.push('country');
        else if (/^[A-Z]{2,3}$|^nan$/.test(v)) out.push('state_abbr');
        else out.push('city');
        break;
      case 'ORGANIZATION':
        out.push('organization');
        break;
      case 'TITLE':
        out.push(/\.$|^(mr|mrs|ms|dr|miss)$/i.test(v) ? 'prefix' : 'job');
        break;
      case 'NRP':
        out.push('nationality');
        break;
      case 'DATE_TIME':
        if (/^\d{4}$/.test(v)) out.push('year');
        else if (/:/.test(v)) out.push('date_time');
        else if (/\d/.test(v)) out.push('date');
        else out.push('day_of_week');
        break;
      case 'AGE':
        out.push('age');
        break;
      case 'ZIP_CODE':
        out.push('zipcode');
        break;
      case 'EMAIL_ADDRESS':
        out.push('email');
        break;
      case 'PHONE_NUMBER':
        out.push('phone_number');
        break;
      case 'CREDIT_CARD':
        out.push('credit_card');
        break;
      case 'IBAN_CODE':
        out.push('iban');
        break;
      case 'US_SSN':
        out.push('ssn');
        break;
      case 'IP_ADDRESS':
        out.push('ip_address');
        break;
      case 'DOMAIN_NAME':
        out.push('url');
        break;
      case 'US_DRIVER_LICENSE':
        out.push('driver_license');
        break;
      default:
        return undefined;
    }
  }
  return out;
}

const SHARED_PROVIDERS: Record<string, [string, Provider]> = {
  ...PLACEHOLDERS,
  person_single: ['PERSON', (p) => (chance(0.6) ? p.first : p.last)],
};

function sharedTemplates(): { id: number; template: string }[] {
  let data: SharedSample[];
  try {
    data = JSON.parse(readFileSync(SHARED_SET, 'utf8')) as SharedSample[];
  } catch {
    console.warn(`shared set not found at ${SHARED_SET}; skipping template refills`);
    return [];
  }
  const seen = new Map<number, string>();
  for (const s of data) {
    if (seen.has(s.template_id)) continue;
    const kinds = inferPlaceholders(s);
    if (!kinds) continue;
    let i = 0;
    // escape literal braces that are not placeholders (one shared template has {street_name})
    const t = s.masked.replace(/\{\{([A-Z_]+)\}\}/g, () => `\u0000${kinds[i++]}\u0001`);
    seen.set(
      s.template_id,
      t
        .replace(/\{|\}/g, '')
        .replace(/\u0000/g, '{{')
        .replace(/\u0001/g, '}}'),
    );
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([id, template]) => ({ id, template }));
}

// ---------------------------------------------------------------------------------------------------
// Gazetteer extraction

function walkStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) walkStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) walkStrings(x, out);
  return out;
}

/** All strings under `path(locale)` across every Faker locale. */
function localeList(path: (def: unknown) => unknown): string[] {
  const out: string[] = [];
  for (const def of Object.values(allLocales)) walkStrings(path(def), out);
  return out;
}

function get(obj: unknown, ...keys: string[]): unknown {
  let v = obj;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

const isEuropeanScript = (s: string): boolean =>
  /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M}\s'’.()-]+$/u.test(s);

function clean(
  list: Iterable<string>,
  opts: { latinOnly?: boolean; europeanOnly?: boolean; maxWords?: number } = {},
): string[] {
  const set = new Set<string>();
  for (const raw of list) {
    if (raw.includes('{{') || raw.includes('#')) continue;
    const s = raw.trim().replace(/\s+/g, ' ').toLowerCase();
    if (!s || s.length > 60) continue;
    if (opts.latinOnly && !isLatin(s)) continue;
    if (opts.europeanOnly && !isEuropeanScript(s)) continue;
    if (/^[\d\s.-]+$/.test(s)) continue;
    if (opts.maxWords && s.split(' ').length > opts.maxWords) continue;
    set.add(s);
  }
  return [...set].sort();
}

function writeGazetteers(): void {
  const dir = join(ROOT, 'data', 'gazetteers');
  mkdirSync(dir, { recursive: true });
  const nonLatin = ['ru', 'uk', 'el', 'mk'].map((l) => (allLocales as Record<string, unknown>)[l]);
  const translitNames = (key: string): string[] =>
    nonLatin.flatMap((d) => walkStrings(get(d, 'person', key))).map((x) => transliterate(x));
  const firsts = [
    ...localeList((d) => get(d, 'person', 'first_name')),
    ...localeList((d) => get(d, 'person', 'middle_name')),
    ...translitNames('first_name'),
    ...JA_FIRST,
    ...ZH_GIVEN,
    ...AR_FIRST,
    ...KO_FIRST,
    ...IS_FIRST,
    ...KL_FIRST,
  ];
  const lasts = [
    ...localeList((d) => get(d, 'person', 'last_name')),
    ...translitNames('last_name'),
    ...JA_LAST,
    ...ZH_FAMILY,
    ...AR_LAST,
    ...KO_LAST,
    ...IS_LAST,
    ...KL_LAST,
  ];
  const files: Record<string, string[]> = {
    'first_names.txt': clean(firsts, { latinOnly: true, maxWords: 3 }),
    'last_names.txt': clean(lasts, { latinOnly: true, maxWords: 3 }),
    'cities.txt': clean([...localeList((d) => get(d, 'location', 'city_name')), ...WORLD_CITIES], {
      europeanOnly: true,
      maxWords: 5,
    }),
    'countries.txt': clean([
      ...((allLocales.en.location?.country as string[] | undefined) ?? []),
      ...COUNTRY_TABLE.map((c) => c.country),
      ...EXTRA_COUNTRY_NAMES,
    ]),
    'regions.txt': clean(
      localeList((d) => get(d, 'location', 'state')),
      { maxWords: 5 },
    ),
    'region_codes.txt': clean(
      localeList((d) => get(d, 'location', 'state_abbr')),
      { latinOnly: true, maxWords: 1 },
    ),
    'street_types.txt': clean(
      [
        ...STREET_TYPES,
        ...clean(
          localeList((d) => get(d, 'location', 'street_suffix')),
          { maxWords: 1 },
        ),
        ...clean(
          localeList((d) => get(d, 'location', 'street_prefix')),
          { maxWords: 1 },
        ),
      ],
      { latinOnly: true, maxWords: 2 },
    ),
    'company_suffixes.txt': clean([...COMPANY_SUFFIXES, ...localeList((d) => get(d, 'company', 'legal_entity_type'))], {
      latinOnly: true,
      maxWords: 3,
    }),
    'companies.txt': clean(KNOWN_ORGS),
    'nrp.txt': clean([
      ...COUNTRY_TABLE.flatMap((c) => [c.adjective, c.people]),
      ...RELIGIONS.flat(),
      ...POLITICAL.flat(),
    ]),
    'job_titles.txt': clean([
      ...JOB_TITLES,
      ...localeList((d) => (d === allLocales.en ? get(d, 'person', 'job_type') : undefined)),
    ]),
    'honorifics.txt': clean([...HONORIFICS, ...localeList((d) => get(d, 'person', 'prefix'))], {
      latinOnly: true,
      maxWords: 2,
    }),
    'common_words.txt': clean(
      [...FUNCTION_WORDS, ...localeList((d) => (d === allLocales.en ? get(d, 'word') : undefined))],
      { latinOnly: true, maxWords: 1 },
    ),
    'date_words.txt': clean(DATE_WORDS),
    'name_particles.txt': clean(NAME_PARTICLES),
  };
  let total = 0;
  for (const [file, entries] of Object.entries(files)) {
    const body = `${entries.join('\n')}\n`;
    writeFileSync(join(dir, file), body);
    total += body.length;
    console.log(`${file.padEnd(22)} ${String(entries.length).padStart(6)} entries`);
  }
  console.log(`total ${(total / 1024).toFixed(0)} KiB in ${dir}`);
}

// ---------------------------------------------------------------------------------------------------
// Main

export function generate(n: number, seed: number, refillsPerTemplate: number): GenRecord[] {
  rnd = mulberry32(seed);
  runSeed = seed;
  fakers.clear();
  const out: GenRecord[] = [];
  TEMPLATES.forEach((t, i) => {
    // validate up front
    for (const m of t.matchAll(PH_RE)) if (!PLACEHOLDERS[m[1]]) throw new Error(`template ${i}: {{${m[1]}}}`);
  });
  for (let i = 0; i < n; i++) {
    const ti = Math.floor(rnd() * TEMPLATES.length);
    const rec = caseVariant(fill(TEMPLATES[ti]));
    out.push({ ...rec, source: 'own', template: `t${ti}` });
  }
  for (const { id, template } of sharedTemplates()) {
    for (let k = 0; k < refillsPerTemplate; k++) {
      const rec = caseVariant(fill(template, SHARED_PROVIDERS));
      out.push({ ...rec, source: 'shared-refill', template: `shared-${id}`, template_id: id });
    }
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const arg = (name: string, def: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : def;
  };
  if (args.includes('--gazetteers')) {
    writeGazetteers();
    return;
  }
  const n = Number(arg('n', '24000'));
  const seed = Number(arg('seed', '20240611'));
  const refills = Number(arg('refills', '30'));
  const outPath = arg('out', join(ROOT, '.tmp', 'pii-tagger', 'generated.jsonl'));
  const t0 = Date.now();
  const recs = generate(n, seed, refills);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, `${recs.map((r) => JSON.stringify(r)).join('\n')}\n`);
  console.log(
    `wrote ${recs.length} records (${TEMPLATES.length} own templates) to ${outPath} in ${Date.now() - t0} ms`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
