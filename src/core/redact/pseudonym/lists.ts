/**
 * Built-in word lists for pseudonyms. They ship in code on purpose: pseudonyms must not change when an
 * optional data file is present or edited, or the same key would stop giving the same outputs.
 */

const words = (text: string): readonly string[] => Object.freeze(text.trim().split(/\s+/));

export const FIRST_NAMES = words(`
Aaliyah Aaron Abigail Adam Adrian Aisha Alan Albert Alejandro Alex Alice Alicia Amara Amelia Amir Ana Andrea
Andrew Angela Anna Anthony Antonio Arjun Arthur Ava Beatrice Benjamin Bianca Brandon Brian Bruno Caleb Camila
Carlos Caroline Catherine Charles Charlotte Chen Chloe Christopher Claire Clara Daniel David Diana Diego Dmitri
Eleanor Elena Elias Elijah Elizabeth Ella Emily Emma Eric Ethan Eva Evelyn Fatima Felix Fiona Francesca Gabriel
Grace Hannah Hassan Helen Henry Hugo Ibrahim Iris Isaac Isabel Ivan Jack Jacob James Jasmine Javier Jessica Joanna
John Jonah Jordan Jose Joseph Joshua Julia Julian Kai Karen Katherine Kenji Kevin Laila Laura Leah Leo Leon Liam
Lila Linda Lucas Lucia Luis Luna Maya Marco Margaret Maria Mark Martin Mateo Matthew Maxwell Mei Mia Michael Miguel
Mila Mohammed Nadia Naomi Nathan Nina Noah Nora Olivia Omar Oscar Owen Paul Paula Peter Philip Priya Rachel Rafael
Rahul Rebecca Ricardo Robert Rosa Ruby Ryan Sakura Samuel Sara Sebastian Sofia Sophie Stella Stephen Susan Tara
Thomas Timothy Tobias Valentina Vanessa Victor Victoria Vincent Violet William Wei Xavier Yara Yusuf Zara Zoe
Abel Agnes Alma Ines Jonas Lars Mira Nikolai Petra Rohan Selma Theo Ulla Wanda Yvonne Emil Hana Ingrid Kofi Lena
`);

export const LAST_NAMES = words(`
Abbott Adams Aguilar Ahmed Ali Allen Alvarez Anderson Andersson Baker Banerjee Barnes Becker Bell Bennett Berg
Bishop Blake Brooks Brown Bryant Burke Butler Campbell Carter Castillo Chang Chavez Chen Clark Cohen Cole Collins
Cooper Costa Cruz Cunningham Das Davies Davis Diaz Dubois Duncan Edwards Ellis Evans Fernandez Fischer Fisher
Fleming Flores Ford Foster Fox Garcia Gardner Gibson Gomez Gonzalez Gordon Graham Grant Gray Green Griffin Gupta
Hall Hamilton Hansen Harris Hayes Henderson Hernandez Hill Hoffmann Holmes Howard Hughes Hunt Ibrahim Ito Jackson
James Jansen Jensen Jimenez Johnson Jones Jordan Kang Kaur Keller Kelly Kennedy Khan Kim King Klein Kowalski Kumar
Larsen Lee Lewis Lim Lopez Marshall Martin Martinez Mason Meyer Miller Mitchell Moore Morales Moreno Morgan Morris
Murphy Murray Nakamura Nguyen Nielsen Novak Olsen Ortiz Owens Park Parker Patel Perez Perry Peters Petrov Phillips
Porter Powell Price Quinn Ramirez Ramos Reed Reyes Richter Rivera Roberts Robinson Rodriguez Rogers Romero Ross
Russell Sanchez Santos Sato Schmidt Schneider Scott Shah Shaw Silva Simmons Singh Smith Sousa Stewart Stone Sullivan
Suzuki Tanaka Taylor Thomas Thompson Torres Tran Turner Walker Wallace Wang Ward Watson Weber Wells West White
Williams Wilson Wood Wright Wu Yamamoto Yang Young Zhang Zimmermann Novotny Okafor Mensah Haddad Lindqvist Moretti
Rossi Bianchi Dupont Lambert Fontaine Vogel Brandt Horvat Nowak Popescu Ivanova Kovacs Yilmaz Demir Nasser Rahman
`);

export const CITIES = words(`
Springfield Riverton Fairview Greenville Franklin Clinton Madison Georgetown Salem Bristol Arlington Ashland
Burlington Centerville Dover Dayton Milford Oakland Oxford Newport Kingston Lakewood Lexington Marion Mount_Vernon
Plymouth Richmond Auburn Bedford Camden Chester Clayton Fremont Hudson Jackson Lebanon Manchester Monroe Princeton
Shelby Troy Union Vernon Waverly Winchester Brookfield Cedar_Falls Glenwood Hillsboro Lancaster Maplewood
Northfield Pleasantville Rockport Sheffield Stratford Westfield Woodstock Ridgeview Harborview Pinecrest
`).map((city) => city.replace(/_/g, ' '));

export const STREETS = words(`
Maple Oak Cedar Pine Elm Birch Willow Walnut Chestnut Spruce Hickory Magnolia Juniper Laurel Poplar Aspen Sycamore
Park Lake Hill River Meadow Forest Valley Spring Sunset Highland Church Mill School Market Bridge Orchard Garden
Harbor Prospect Liberty Union Franklin Washington Lincoln Jefferson Madison Main Center North South East West
`);

export const STREET_SUFFIXES = words('Street Avenue Road Lane Drive Court Place Way Boulevard Terrace');

export const ORG_NAMES = words(`
Northwind Contoso Fabrikam Globex Initech Acme Bluestone Silverline Redwood Brightpath Summit Harborview Pinecrest
Ironbridge Clearwater Stonegate Riverbend Oakridge Lighthouse Evergreen Westbrook Eastfield Goldcrest Blackwood
Crescent Meridian Horizon Keystone Pioneer Sterling Vanguard Aurora Cobalt Granite Juniper Lakeshore Maplewood
Nimbus Orion Quartz Sapphire Tidewater Vertex Willowbrook Zenith Alder Beacon Cascade Driftwood Falcon Larkspur
`);

export const ORG_KINDS = words(`
Analytics Capital Consulting Dynamics Energy Foods Health Holdings Industries Labs Logistics Media Partners
Robotics Software Solutions Systems Technologies Trading Ventures
`);

export const ORG_SUFFIXES = Object.freeze(['Inc.', 'LLC', 'Ltd', 'Group', 'Corp.', 'Co.', 'GmbH', 'plc']);

/** Neutral words for host names and URL paths. */
export const WORDS = words(`
amber apple arrow atlas autumn bamboo beacon birch blossom breeze bright brook cactus canyon cedar cherry cloud
clover comet coral cosmos crane creek crystal dawn delta desert dune eagle echo ember falcon fern field forest
frost galaxy garden glacier granite harbor hazel horizon island ivory jade juniper lagoon lake lantern lark
lemon lily lotus maple meadow mesa mint mist moon moss nectar north oasis ocean olive opal orchid otter pearl
pebble pine planet plum prairie quartz rain raven reef ridge river robin sage sand shore sierra silver sky
slate spring spruce star stone summit sun thunder tide timber topaz tulip valley violet willow wind winter
`);

/** Second-level domains reserved for documentation (RFC 2606). */
export const EXAMPLE_DOMAINS = Object.freeze(['example.com', 'example.org', 'example.net']);

/** IPv4 blocks reserved for documentation (RFC 5737). */
export const DOC_IPV4_PREFIXES = Object.freeze(['192.0.2', '198.51.100', '203.0.113']);

/** ITU-T E.164 country calling codes (prefix-free), for keeping a phone number's `+CC`. */
export const CALLING_CODES: ReadonlySet<string> = new Set(
  words(`
1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86
90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237
238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266
267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379
380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596
597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852
853 855 856 870 878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977
979 992 993 994 995 996 998
`),
);

export const MONTHS = Object.freeze([
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]);
