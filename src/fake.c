/*
 * fake.c - a deterministic generator of FICTIONAL people for `safehub demo`, tests and
 * benchmarks (see fake.h).
 *
 * Owns: the random number generator (xoshiro256** seeded through splitmix64), the name lists
 * with their nicknames and spelling variants, the ethnicity weights, the made-up street names
 * and the outward postcode districts. Must not touch: SQL, HTTP, jansson, the store.
 *
 * Nobody made here is real. Names are common names drawn independently at random; streets are
 * invented from word parts (any likeness to a real street is chance, and the house number and
 * randomly drawn inward code do not make a real address); NHS numbers come from the 999 range
 * the NHS never issues; UPNs use local authority number 999, which no authority has; phone
 * numbers come from Ofcom's drama range 07700 900000-900999.
 *
 * Names are grouped into pools by heritage so that a person's names and ethnicity code go
 * together the way they do in a Greater Manchester caseload (mixed heritage draws its given and
 * family names from two pools). Within a list the first entries are drawn more often.
 *
 * Nothing here allocates; fake_person's output depends only on the generator state, `today`
 * and `child_share`.
 */
#include "fake.h"

#include <stdio.h>
#include <string.h>

#include "valid.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Random numbers ------------------------------------------------------------------------- */

/* splitmix64: turns any seed (0 included) into well-mixed state words. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void fake_seed(struct fake_rng *rng, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
	if (!(rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]))
		rng->s[0] = 1; /* xoshiro's state must never be all zero */
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 (Blackman and Vigna). */
uint64_t fake_next(struct fake_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t fake_below(struct fake_rng *rng, uint64_t n)
{
	if (n == 0)
		return 0; /* outside the contract; answer something harmless */
	/* Reject the lowest 2^64 mod n values so that what is left is a whole number of runs of n. */
	uint64_t threshold = (0 - n) % n;
	for (;;) {
		uint64_t r = fake_next(rng);
		if (r >= threshold)
			return r % n;
	}
}

/* True with probability per_mille / 1000. */
static bool chance(struct fake_rng *rng, unsigned per_mille)
{
	return fake_below(rng, 1000) < per_mille;
}

/* An index into a list of n (n > 0), the front of the list drawn more often. */
static size_t pick_front(struct fake_rng *rng, size_t n)
{
	size_t i = (size_t)fake_below(rng, n);
	if (fake_below(rng, 2))
		i = (size_t)fake_below(rng, i + 1);
	return i;
}

/* An index into weights[0..n) drawn in proportion to the weights (at least one non-zero). */
static size_t pick_weighted(struct fake_rng *rng, const unsigned *weights, size_t n)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += weights[i];
	uint64_t r = fake_below(rng, total);
	for (size_t i = 0; i < n; i++) {
		if (r < weights[i])
			return i;
		r -= weights[i];
	}
	return n - 1;
}

/* ---- Names ---------------------------------------------------------------------------------- */

/* A given name: its spellings and its nicknames. Unused slots are NULL. */
struct given {
	const char *spell[4]; /* spellings, the commonest first: "Kayleigh", "Kayley", "Kaleigh" */
	const char *nick[3];  /* nicknames and short forms: "Kay" */
};

/* A family name: its spellings, the commonest first. Unused slots are NULL. */
struct family {
	const char *spell[4];
};

#define NONE {NULL}

static const struct given uk_female[] = {
	{{"Olivia"}, {"Liv", "Livvy"}},
	{{"Amelia"}, {"Millie", "Amy"}},
	{{"Isla", "Islay"}, NONE},
	{{"Ava"}, NONE},
	{{"Mia", "Miah"}, NONE},
	{{"Lily", "Lilly", "Lillie"}, {"Lil"}},
	{{"Sophie", "Sophia", "Sofia"}, {"Soph"}},
	{{"Ruby"}, {"Rubes"}},
	{{"Emily", "Emilie"}, {"Em", "Emmy"}},
	{{"Grace"}, {"Gracie"}},
	{{"Evie", "Evey"}, NONE},
	{{"Poppy"}, {"Pops"}},
	{{"Ella"}, NONE},
	{{"Jessica"}, {"Jess", "Jessie"}},
	{{"Chloe", "Chloé", "Cloey"}, {"Clo"}},
	{{"Millie", "Milly"}, {"Mills"}},
	{{"Daisy"}, NONE},
	{{"Freya"}, NONE},
	{{"Phoebe"}, {"Pheebs"}},
	{{"Scarlett", "Scarlet"}, NONE},
	{{"Holly"}, {"Hols"}},
	{{"Lacey", "Lacie"}, NONE},
	{{"Kayleigh", "Kayley", "Kaleigh", "Kayly"}, {"Kay", "Kayls"}},
	{{"Leah", "Lea"}, NONE},
	{{"Paige"}, NONE},
	{{"Megan", "Meghan"}, {"Meg", "Megs"}},
	{{"Jade"}, NONE},
	{{"Courtney", "Kortney"}, {"Court"}},
	{{"Chelsea", "Chelsey"}, {"Chels"}},
	{{"Lauren", "Loren"}, NONE},
	{{"Bethany"}, {"Beth"}},
	{{"Shannon"}, {"Shan"}},
	{{"Abigail"}, {"Abbie", "Abby"}},
	{{"Demi"}, NONE},
	{{"Ellie", "Elly"}, {"El"}},
	{{"Amber"}, NONE},
	{{"Tia", "Tiah"}, NONE},
	{{"Kelsey", "Kelsie"}, {"Kels"}},
	{{"Charlotte"}, {"Charlie", "Lottie"}},
	{{"Hannah", "Hanna"}, {"Han"}},
	{{"Rebecca", "Rebekah"}, {"Becky", "Becca", "Bex"}},
	{{"Samantha"}, {"Sam", "Sammy"}},
	{{"Katie", "Katy", "Katey"}, {"Kat"}},
	{{"Danielle"}, {"Dani"}},
	{{"Nicole"}, {"Nikki"}},
	{{"Stephanie"}, {"Steph"}},
	{{"Elizabeth"}, {"Beth", "Lizzie", "Liz"}},
	{{"Victoria"}, {"Vicky", "Tori"}},
	{{"Jasmine", "Jasmin"}, {"Jaz"}},
	{{"Eleanor", "Elinor"}, {"Ellie", "Nell"}},
	{{"Georgia"}, {"George"}},
	{{"Alice"}, {"Ali"}},
	{{"Erin"}, NONE},
	{{"Caitlin", "Katelyn", "Kaitlyn"}, {"Cait"}},
	{{"Madison", "Maddison"}, {"Maddie"}},
	{{"Summer"}, NONE},
	{{"Skye", "Sky"}, NONE},
	{{"Zoe", "Zoë", "Zoey"}, NONE},
	{{"Harriet"}, {"Hattie"}},
	{{"Imogen"}, {"Immy"}},
	{{"Molly", "Mollie"}, NONE},
	{{"Natalie", "Nathalie"}, {"Nat"}},
	{{"Keeley", "Keely"}, NONE},
	{{"Aimee", "Amy"}, NONE},
	{{"Brooke"}, NONE},
	{{"Mya", "Myah"}, NONE},
	{{"Willow"}, NONE},
	{{"Esme", "Esmé"}, NONE},
	{{"Matilda"}, {"Tilly", "Tilda"}},
	{{"Florence"}, {"Flo", "Florrie"}},
	{{"Rosie"}, NONE},
	{{"Maisie", "Maisy"}, NONE},
	{{"Lexi", "Lexie"}, NONE},
};

static const struct given uk_male[] = {
	{{"Oliver"}, {"Ollie", "Olly"}},
	{{"Jack"}, NONE},
	{{"Harry"}, {"Haz"}},
	{{"George"}, {"Georgie"}},
	{{"Charlie", "Charley"}, {"Chaz"}},
	{{"Jacob"}, {"Jake"}},
	{{"Thomas"}, {"Tom", "Tommy"}},
	{{"Oscar"}, {"Ozzy"}},
	{{"William"}, {"Billy", "Will", "Bill"}},
	{{"James"}, {"Jamie", "Jim", "Jimmy"}},
	{{"Joshua"}, {"Josh"}},
	{{"Alfie", "Alfy"}, {"Alf"}},
	{{"Noah"}, NONE},
	{{"Leo"}, NONE},
	{{"Freddie", "Freddy"}, {"Fred"}},
	{{"Archie"}, {"Arch"}},
	{{"Ethan"}, NONE},
	{{"Mason"}, NONE},
	{{"Riley", "Ryley"}, NONE},
	{{"Kyle"}, NONE},
	{{"Callum", "Calum"}, {"Cal"}},
	{{"Connor", "Conner"}, {"Con"}},
	{{"Liam"}, NONE},
	{{"Daniel"}, {"Dan", "Danny"}},
	{{"Matthew"}, {"Matt", "Matty"}},
	{{"Ryan"}, NONE},
	{{"Lewis", "Louis"}, NONE},
	{{"Bradley"}, {"Brad"}},
	{{"Kieran", "Kieron"}, {"Kez"}},
	{{"Jordan"}, NONE},
	{{"Tyler"}, {"Ty"}},
	{{"Reece", "Rhys", "Reese"}, NONE},
	{{"Jayden", "Jaden", "Jaiden"}, {"Jay"}},
	{{"Brandon"}, NONE},
	{{"Nathan"}, {"Nate", "Nath"}},
	{{"Samuel"}, {"Sam", "Sammy"}},
	{{"Joseph"}, {"Joe", "Joey"}},
	{{"Benjamin"}, {"Ben", "Benny"}},
	{{"Alexander"}, {"Alex", "Xander"}},
	{{"Luke"}, NONE},
	{{"Dylan", "Dillon"}, NONE},
	{{"Adam"}, NONE},
	{{"Aaron", "Aron"}, NONE},
	{{"Owen"}, NONE},
	{{"Kai", "Kye"}, NONE},
	{{"Logan"}, NONE},
	{{"Harrison"}, {"Harry"}},
	{{"Max"}, NONE},
	{{"Toby", "Tobias"}, {"Tobes"}},
	{{"Jamie", "Jaime"}, NONE},
	{{"Ashley"}, {"Ash"}},
	{{"Edward"}, {"Ed", "Eddie", "Ted"}},
	{{"Henry"}, {"Harry", "Hal"}},
	{{"Theo", "Theodore"}, {"Teddy"}},
	{{"Finley", "Finlay"}, {"Fin"}},
	{{"Jenson", "Jensen"}, NONE},
	{{"Frankie", "Frank"}, NONE},
	{{"Lucas", "Lukas"}, {"Luke"}},
	{{"Zachary", "Zackary"}, {"Zach", "Zac"}},
	{{"Isaac"}, {"Zac"}},
	{{"Cameron", "Kameron"}, {"Cam"}},
	{{"Elliot", "Elliott"}, NONE},
	{{"Jake"}, NONE},
	{{"Kane", "Cain"}, NONE},
	{{"Tommy"}, {"Tom"}},
	{{"Billy", "Billie"}, NONE},
};

/* Given names of the UK lists that belong to adults over 30 rather than today's children. */
static const struct given uk_female_older[] = {
	{{"Tracey", "Tracy"}, {"Trace"}},
	{{"Michelle"}, {"Shell"}},
	{{"Karen"}, NONE},
	{{"Donna"}, NONE},
	{{"Lisa"}, NONE},
	{{"Julie"}, {"Jules"}},
	{{"Gemma", "Jemma"}, {"Gem"}},
	{{"Kirsty", "Kirstie"}, NONE},
	{{"Stacey", "Stacy"}, {"Stace"}},
	{{"Joanne", "Joanna"}, {"Jo"}},
	{{"Sharon"}, {"Shaz"}},
	{{"Dawn"}, NONE},
	{{"Angela"}, {"Angie"}},
	{{"Susan"}, {"Sue", "Susie"}},
	{{"Deborah", "Debra"}, {"Debbie", "Debs"}},
	{{"Nicola"}, {"Nicky", "Nic"}},
	{{"Claire", "Clare"}, NONE},
	{{"Kelly", "Kelley"}, NONE},
	{{"Amanda"}, {"Mandy"}},
	{{"Sarah", "Sara"}, NONE},
	{{"Helen"}, NONE},
};

static const struct given uk_male_older[] = {
	{{"Scott"}, {"Scotty"}},
	{{"Dean"}, {"Deano"}},
	{{"Craig"}, NONE},
	{{"Darren"}, {"Daz"}},
	{{"Wayne"}, NONE},
	{{"Paul"}, NONE},
	{{"Mark", "Marc"}, NONE},
	{{"Stephen", "Steven"}, {"Steve", "Stevie"}},
	{{"Christopher", "Kristopher"}, {"Chris", "Kit"}},
	{{"Anthony"}, {"Tony", "Ant"}},
	{{"Michael"}, {"Mike", "Mikey", "Mick"}},
	{{"Robert"}, {"Rob", "Bobby", "Robbie"}},
	{{"Richard"}, {"Rich", "Ricky"}},
	{{"Lee", "Leigh"}, NONE},
	{{"Gary"}, {"Gaz"}},
	{{"Kevin"}, {"Kev"}},
	{{"Andrew"}, {"Andy", "Drew"}},
	{{"David"}, {"Dave", "Davey"}},
	{{"Neil", "Neal"}, NONE},
	{{"Jason"}, NONE},
	{{"Peter"}, {"Pete"}},
	{{"Ian", "Iain"}, NONE},
};

static const struct family uk_family[] = {
	{{"Smith", "Smyth", "Smithe"}},
	{{"Jones"}},
	{{"Williams"}},
	{{"Taylor", "Tayler"}},
	{{"Brown", "Browne"}},
	{{"Davies", "Davis"}},
	{{"Evans"}},
	{{"Wilson", "Willson"}},
	{{"Thomas"}},
	{{"Johnson", "Jonson"}},
	{{"Roberts"}},
	{{"Robinson"}},
	{{"Wright"}},
	{{"Thompson", "Thomson", "Tomson"}},
	{{"White", "Whyte"}},
	{{"Walker"}},
	{{"Hughes"}},
	{{"Edwards"}},
	{{"Green", "Greene"}},
	{{"Hall"}},
	{{"Wood"}},
	{{"Harris"}},
	{{"Lewis"}},
	{{"Martin", "Martyn"}},
	{{"Jackson"}},
	{{"Clarke", "Clark"}},
	{{"Turner"}},
	{{"Hill"}},
	{{"Scott"}},
	{{"Cooper"}},
	{{"Morris"}},
	{{"Moore", "More"}},
	{{"King"}},
	{{"Watson"}},
	{{"Baker"}},
	{{"Harrison"}},
	{{"Morgan"}},
	{{"Young"}},
	{{"Allen", "Allan"}},
	{{"Mitchell"}},
	{{"James"}},
	{{"Anderson", "Andersen"}},
	{{"Phillips", "Philips"}},
	{{"Lee", "Leigh"}},
	{{"Bell"}},
	{{"Parker"}},
	{{"Stevenson", "Stephenson"}},
	{{"Bennett", "Bennet"}},
	{{"Cook", "Cooke"}},
	{{"Shaw"}},
	{{"Carter"}},
	{{"Richardson"}},
	{{"Collins"}},
	{{"Chapman"}},
	{{"Ellis"}},
	{{"Holt"}},
	{{"Howarth", "Haworth"}},
	{{"Kershaw"}},
	{{"Whitehead"}},
	{{"Ashworth"}},
	{{"Butterworth"}},
	{{"Schofield", "Scholefield"}},
	{{"Lord"}},
	{{"Greenwood"}},
	{{"Hargreaves", "Hargraves"}},
	{{"Ogden"}},
	{{"Hulme", "Hume"}},
	{{"Booth"}},
	{{"Barlow"}},
	{{"Bradshaw"}},
	{{"Fletcher"}},
	{{"Mellor"}},
	{{"Heywood", "Haywood"}},
	{{"Rigby"}},
	{{"Brierley", "Brearley"}},
	{{"Kay", "Kaye"}},
	{{"Nuttall", "Nuttal"}},
	{{"Platt"}},
	{{"Worthington"}},
	{{"Dawson"}},
	{{"Marsden"}},
	{{"Sutcliffe"}},
	{{"Lees", "Leese"}},
	{{"Wild", "Wilde"}},
	{{"Bailey", "Baily"}},
	{{"Gray", "Grey"}},
	{{"Reid", "Reed", "Read"}},
	{{"Macdonald", "McDonald", "MacDonald"}},
	{{"Fraser", "Frazer"}},
	{{"Stewart", "Stuart"}},
	{{"Campbell"}},
	{{"Murray"}},
	{{"Griffiths", "Griffith"}},
	{{"Price"}},
	{{"Owen", "Owens"}},
	{{"Hopkins"}},
	{{"Pickering"}},
	{{"Hampson"}},
};

static const struct given irish_female[] = {
	{{"Niamh", "Neve", "Neave"}, NONE},
	{{"Siobhan", "Siobhán", "Shivaun"}, {"Shiv"}},
	{{"Aoife", "Eefa"}, NONE},
	{{"Ciara", "Kiera", "Keira"}, NONE},
	{{"Róisín", "Roisin", "Rosheen"}, {"Ro"}},
	{{"Orla", "Orlagh"}, NONE},
	{{"Sinéad", "Sinead"}, NONE},
	{{"Aisling", "Ashling"}, {"Ash"}},
	{{"Bridget", "Bridgette"}, {"Bridie", "Biddy"}},
	{{"Saoirse", "Seersha"}, NONE},
	{{"Caoimhe", "Keeva"}, NONE},
	{{"Mary", "Maire"}, {"Molly", "Mae"}},
};

static const struct given irish_male[] = {
	{{"Sean", "Seán", "Shaun", "Shawn"}, NONE},
	{{"Conor", "Connor", "Conner"}, {"Con"}},
	{{"Declan"}, {"Dec", "Deccy"}},
	{{"Cian", "Kian"}, NONE},
	{{"Patrick"}, {"Paddy", "Pat"}},
	{{"Aidan", "Aiden"}, NONE},
	{{"Ciaran", "Ciarán", "Kieran"}, NONE},
	{{"Eoin", "Owen"}, NONE},
	{{"Ronan"}, NONE},
	{{"Finn", "Fionn"}, NONE},
	{{"Michael"}, {"Mick", "Mickey"}},
	{{"John"}, {"Johnny", "Jack"}},
};

static const struct family irish_family[] = {
	{{"Murphy"}},
	{{"Kelly"}},
	{{"O'Brien", "OBrien", "O’Brien"}},
	{{"Byrne", "Burn"}},
	{{"Ryan"}},
	{{"O'Sullivan", "Sullivan"}},
	{{"Walsh", "Welsh"}},
	{{"Doyle"}},
	{{"McCarthy", "MacCarthy"}},
	{{"Gallagher", "Gallacher"}},
	{{"O'Connor", "Connor"}},
	{{"O'Neill", "O'Neil", "ONeill"}},
	{{"Quinn"}},
	{{"Brennan"}},
	{{"McDonagh", "McDonough"}},
	{{"Ward"}},
	{{"Connors"}},
	{{"Joyce"}},
	{{"McGuinness", "Maginnis"}},
	{{"Flanagan", "Flannagan"}},
	{{"Kennedy"}},
	{{"Lynch"}},
	{{"Duffy"}},
	{{"Doherty", "Docherty", "Dougherty"}},
	{{"Boyle"}},
	{{"Keane", "Kane"}},
};

/* Pakistani, Bangladeshi and other Muslim South Asian heritage. */
static const struct given south_asian_female[] = {
	{{"Ayesha", "Aisha", "Aysha"}, NONE},
	{{"Fatima", "Fatimah"}, NONE},
	{{"Zainab", "Zaynab"}, NONE},
	{{"Maryam", "Mariam", "Mariyam"}, NONE},
	{{"Amina", "Aminah"}, NONE},
	{{"Hafsa", "Hafsah"}, NONE},
	{{"Inaya", "Inaaya"}, NONE},
	{{"Zara", "Zarah"}, NONE},
	{{"Safa"}, NONE},
	{{"Aleena", "Alina"}, NONE},
	{{"Khadija", "Khadijah"}, NONE},
	{{"Sana", "Sanaa"}, NONE},
	{{"Iqra"}, NONE},
	{{"Nadia"}, NONE},
	{{"Hira"}, NONE},
	{{"Samira", "Sameera"}, NONE},
	{{"Yasmin", "Yasmeen"}, {"Yas"}},
	{{"Noor", "Nur"}, NONE},
	{{"Anaya"}, NONE},
	{{"Hajra", "Hajrah"}, NONE},
	{{"Tasnim", "Tasneem"}, NONE},
	{{"Nusrat"}, NONE},
	{{"Shabana"}, NONE},
	{{"Rukhsana", "Ruksana"}, NONE},
	{{"Sumaya", "Sumayyah"}, NONE},
};

static const struct given south_asian_male[] = {
	{{"Mohammed", "Muhammad", "Mohammad", "Mohamed"}, {"Mo"}},
	{{"Ahmed", "Ahmad"}, NONE},
	{{"Ali"}, NONE},
	{{"Hamza", "Hamzah"}, NONE},
	{{"Ibrahim"}, NONE},
	{{"Yusuf", "Yousaf", "Yousuf"}, NONE},
	{{"Bilal"}, NONE},
	{{"Zain", "Zayn"}, NONE},
	{{"Ayaan", "Ayan"}, NONE},
	{{"Omar", "Umar"}, NONE},
	{{"Haris"}, NONE},
	{{"Abdullah"}, NONE},
	{{"Hassan", "Hasan"}, NONE},
	{{"Usman", "Osman"}, NONE},
	{{"Imran"}, NONE},
	{{"Zakariya", "Zakaria"}, {"Zak"}},
	{{"Rayyan", "Rayan"}, NONE},
	{{"Ismail", "Ismael"}, NONE},
	{{"Saif"}, NONE},
	{{"Arham"}, NONE},
	{{"Shahid"}, NONE},
	{{"Tariq", "Tarik"}, NONE},
	{{"Faisal", "Faysal"}, NONE},
	{{"Rizwan"}, {"Riz"}},
	{{"Sajid"}, NONE},
};

static const struct family south_asian_family[] = {
	{{"Khan"}},
	{{"Hussain", "Hussein", "Husain"}},
	{{"Ahmed", "Ahmad"}},
	{{"Ali"}},
	{{"Begum"}},
	{{"Akhtar"}},
	{{"Iqbal"}},
	{{"Mahmood", "Mahmud", "Mehmood"}},
	{{"Shah"}},
	{{"Rehman", "Rahman"}},
	{{"Aslam"}},
	{{"Bibi"}},
	{{"Butt"}},
	{{"Malik"}},
	{{"Qureshi", "Kureshi"}},
	{{"Chaudhry", "Chaudhary", "Choudhury"}},
	{{"Rashid"}},
	{{"Riaz"}},
	{{"Javed", "Javaid"}},
	{{"Islam"}},
	{{"Miah", "Mia"}},
	{{"Uddin"}},
	{{"Hoque", "Haque", "Huq"}},
	{{"Rahim"}},
	{{"Sheikh", "Shaikh"}},
	{{"Mirza"}},
	{{"Anwar"}},
	{{"Saleem", "Salim"}},
	{{"Siddiqui", "Siddiqi"}},
};

/* Indian heritage (Hindu, Sikh and others). */
static const struct given indian_female[] = {
	{{"Priya"}, NONE},
	{{"Anika", "Anikha"}, NONE},
	{{"Aarya", "Arya"}, NONE},
	{{"Kiran"}, NONE},
	{{"Simran"}, {"Simi"}},
	{{"Harpreet"}, {"Harp"}},
	{{"Jaspreet"}, {"Jas"}},
	{{"Navneet"}, {"Nav"}},
	{{"Divya"}, NONE},
	{{"Pooja", "Puja"}, NONE},
	{{"Riya", "Ria"}, NONE},
	{{"Sonia", "Sonya"}, NONE},
	{{"Neha"}, NONE},
};

static const struct given indian_male[] = {
	{{"Arjun"}, NONE},
	{{"Rohan"}, NONE},
	{{"Aarav", "Arav"}, NONE},
	{{"Vikram"}, {"Vik"}},
	{{"Rahul"}, NONE},
	{{"Harjit", "Harjeet"}, NONE},
	{{"Gurpreet"}, {"Guri"}},
	{{"Sanjay"}, {"Sanj"}},
	{{"Ravi"}, NONE},
	{{"Nikhil"}, {"Nik"}},
	{{"Dev"}, NONE},
	{{"Amit"}, NONE},
	{{"Karan"}, NONE},
};

static const struct family indian_family[] = {
	{{"Patel"}},
	{{"Singh"}},
	{{"Kaur"}},
	{{"Sharma"}},
	{{"Kumar"}},
	{{"Gill"}},
	{{"Sandhu"}},
	{{"Mistry"}},
	{{"Chauhan"}},
	{{"Gupta"}},
	{{"Joshi"}},
	{{"Parmar"}},
	{{"Desai"}},
	{{"Bains"}},
	{{"Dhillon"}},
	{{"Mehta"}},
};

/* Black African heritage: Nigerian, Ghanaian, Somali, Eritrean, Zimbabwean. */
static const struct given african_female[] = {
	{{"Chioma"}, NONE},
	{{"Adaeze"}, {"Ada"}},
	{{"Blessing"}, NONE},
	{{"Precious"}, NONE},
	{{"Favour"}, NONE},
	{{"Abena"}, NONE},
	{{"Nneka"}, NONE},
	{{"Hodan"}, NONE},
	{{"Ayaan"}, NONE},
	{{"Ifrah"}, NONE},
	{{"Sagal"}, NONE},
	{{"Folake"}, {"Fola"}},
	{{"Temitope"}, {"Temi", "Tope"}},
	{{"Funmilayo"}, {"Funmi"}},
	{{"Tendai"}, NONE},
	{{"Adwoa"}, NONE},
};

static const struct given african_male[] = {
	{{"Chukwuemeka"}, {"Emeka"}},
	{{"Oluwaseun"}, {"Seun"}},
	{{"Oluwatobi", "Tobi"}, {"Tobi"}},
	{{"Adebayo"}, {"Bayo"}},
	{{"Kwame"}, NONE},
	{{"Kofi"}, NONE},
	{{"Kwabena"}, NONE},
	{{"Emmanuel"}, {"Manny"}},
	{{"Abdi"}, NONE},
	{{"Abdirahman"}, {"Abdi"}},
	{{"Mahad"}, NONE},
	{{"Yonas", "Yonatan"}, NONE},
	{{"Tinashe"}, NONE},
	{{"Chidi"}, NONE},
	{{"Obinna"}, NONE},
	{{"Olufemi", "Femi"}, {"Femi"}},
};

static const struct family african_family[] = {
	{{"Okafor"}},
	{{"Adeyemi"}},
	{{"Okoro"}},
	{{"Nwosu"}},
	{{"Eze"}},
	{{"Balogun"}},
	{{"Adebayo"}},
	{{"Ogunleye"}},
	{{"Mensah"}},
	{{"Osei"}},
	{{"Owusu"}},
	{{"Boateng"}},
	{{"Asante"}},
	{{"Addo"}},
	{{"Mohamed", "Mohammed"}},
	{{"Abdi"}},
	{{"Farah"}},
	{{"Warsame"}},
	{{"Hassan"}},
	{{"Osman"}},
	{{"Tesfaye"}},
	{{"Haile"}},
	{{"Moyo"}},
	{{"Ncube"}},
	{{"Banda"}},
	{{"Phiri"}},
	{{"Mutasa"}},
};

/* Black Caribbean heritage (many also carry names from the UK lists). */
static const struct given caribbean_female[] = {
	{{"Shanice", "Shaniece"}, NONE},
	{{"Tanisha"}, {"Tan"}},
	{{"Keisha", "Keysha"}, NONE},
	{{"Jada"}, NONE},
	{{"Aaliyah", "Aliyah"}, {"Liyah"}},
	{{"Imani"}, NONE},
	{{"Nia"}, NONE},
	{{"Amara"}, NONE},
	{{"Kiana"}, NONE},
	{{"Chantelle", "Shantelle"}, NONE},
};

static const struct given caribbean_male[] = {
	{{"Jermaine"}, NONE},
	{{"Tyrone"}, {"Ty"}},
	{{"Marcus"}, NONE},
	{{"Andre", "André"}, {"Dre"}},
	{{"Darnell"}, NONE},
	{{"Leon"}, NONE},
	{{"Malachi"}, NONE},
	{{"Isaiah"}, NONE},
	{{"Jamal", "Jamaal"}, NONE},
	{{"Kemar"}, NONE},
	{{"Devon", "Devonte"}, NONE},
	{{"Elijah"}, {"Eli"}},
};

static const struct family caribbean_family[] = {
	{{"Campbell"}},
	{{"Francis"}},
	{{"Grant"}},
	{{"Brown", "Browne"}},
	{{"Williams"}},
	{{"Thomas"}},
	{{"Clarke", "Clark"}},
	{{"Henry"}},
	{{"Reid", "Reed"}},
	{{"Gordon"}},
	{{"Bailey"}},
	{{"Stewart"}},
	{{"Walker"}},
	{{"Forbes"}},
	{{"Samuels"}},
	{{"Ferguson"}},
	{{"Morrison"}},
	{{"Richards"}},
	{{"Gayle", "Gale"}},
	{{"McKenzie", "Mackenzie"}},
	{{"Lawrence"}},
};

/* Chinese heritage: Mandarin and Cantonese romanisations of one name are spelling variants. */
static const struct given chinese_female[] = {
	{{"Mei"}, NONE},
	{{"Jia"}, NONE},
	{{"Xin"}, NONE},
	{{"Yan"}, NONE},
	{{"Ling"}, NONE},
	{{"Hui", "Wai"}, NONE},
};

static const struct given chinese_male[] = {
	{{"Wei"}, NONE},
	{{"Jun", "Chun"}, NONE},
	{{"Hao", "Ho"}, NONE},
	{{"Ming"}, NONE},
	{{"Jian", "Kin"}, NONE},
	{{"Tian"}, NONE},
};

static const struct family chinese_family[] = {
	{{"Wang", "Wong"}},
	{{"Li", "Lee"}},
	{{"Zhang", "Cheung", "Chang"}},
	{{"Chen", "Chan"}},
	{{"Liu", "Lau"}},
	{{"Huang", "Wong"}},
	{{"Yang", "Yeung"}},
	{{"Wu", "Ng"}},
	{{"Lin", "Lam"}},
	{{"Zhou", "Chow"}},
	{{"He", "Ho"}},
	{{"Liang", "Leung"}},
	{{"Tang", "Tong"}},
	{{"Xu", "Tsui"}},
};

/* Other White: Polish, Romanian, Slovak and Czech (including Roma), Portuguese. */
static const struct given europe_female[] = {
	{{"Zuzanna", "Zuzana"}, {"Zuza"}},
	{{"Oliwia", "Olivia"}, NONE},
	{{"Wiktoria", "Viktoria"}, {"Wika"}},
	{{"Julia"}, NONE},
	{{"Natalia"}, {"Nata"}},
	{{"Maja", "Maya"}, NONE},
	{{"Aleksandra", "Alexandra"}, {"Ola"}},
	{{"Agnieszka"}, {"Aga"}},
	{{"Ioana"}, NONE},
	{{"Andreea"}, NONE},
	{{"Elena"}, NONE},
	{{"Gabriela"}, {"Gabi"}},
	{{"Denisa"}, NONE},
	{{"Nikola", "Nicola"}, {"Niki"}},
	{{"Kateřina", "Katerina"}, {"Katka"}},
	{{"Beatriz"}, {"Bia"}},
};

static const struct given europe_male[] = {
	{{"Jakub", "Jacob"}, {"Kuba"}},
	{{"Szymon", "Simon"}, {"Szymek"}},
	{{"Kacper", "Kasper"}, NONE},
	{{"Filip", "Philip"}, NONE},
	{{"Mateusz"}, {"Mati"}},
	{{"Łukasz", "Lukasz"}, NONE},
	{{"Piotr"}, {"Piotrek"}},
	{{"Andrei", "Andrey"}, NONE},
	{{"Ionuț", "Ionut"}, NONE},
	{{"Alexandru"}, {"Alex"}},
	{{"Marius"}, NONE},
	{{"Lukáš", "Lukas"}, NONE},
	{{"Tomáš", "Tomas"}, {"Tomi"}},
	{{"Adrian"}, NONE},
	{{"João", "Joao"}, NONE},
};

static const struct family europe_family[] = {
	{{"Nowak", "Novak"}},
	{{"Wójcik", "Wojcik"}},
	{{"Kowalczyk"}},
	{{"Woźniak", "Wozniak"}},
	{{"Mazur"}},
	{{"Krawczyk"}},
	{{"Zając", "Zajac"}},
	{{"Król", "Krol"}},
	{{"Wieczorek"}},
	{{"Popescu"}},
	{{"Ionescu"}},
	{{"Popa"}},
	{{"Stan"}},
	{{"Dumitru"}},
	{{"Constantin"}},
	{{"Radu"}},
	{{"Munteanu"}},
	{{"Horváth", "Horvath"}},
	{{"Balog", "Balogh"}},
	{{"Kováč", "Kovac"}},
	{{"Lakatoš", "Lakatos"}},
	{{"Oláh", "Olah"}},
	{{"Dudáš", "Dudas"}},
	{{"Silva", "Da Silva"}},
	{{"Santos", "Dos Santos"}},
	{{"Ferreira"}},
	{{"Pereira"}},
	{{"Costa"}},
};

/* Arab, Kurdish, Afghan and Iranian heritage (the "other" codes in a Manchester caseload). */
static const struct given arab_female[] = {
	{{"Amira", "Ameera"}, NONE},
	{{"Layla", "Leila", "Laila"}, NONE},
	{{"Rania"}, NONE},
	{{"Sara", "Sarah"}, NONE},
	{{"Huda"}, NONE},
	{{"Dania"}, NONE},
	{{"Shirin", "Shireen"}, NONE},
	{{"Zahra"}, NONE},
};

static const struct given arab_male[] = {
	{{"Omar", "Umar"}, NONE},
	{{"Mustafa", "Mostafa"}, NONE},
	{{"Karim", "Kareem"}, NONE},
	{{"Hussein", "Hussain"}, NONE},
	{{"Yousef", "Yusuf"}, NONE},
	{{"Khalid", "Khaled"}, NONE},
	{{"Arman"}, NONE},
	{{"Reza"}, NONE},
	{{"Hamid"}, NONE},
	{{"Dara"}, NONE},
};

static const struct family arab_family[] = {
	{{"Al-Hassan", "Al Hassan", "Alhassan"}},
	{{"Abdullah", "Abdalla"}},
	{{"Mahmoud", "Mahmud"}},
	{{"Ibrahim"}},
	{{"Hassan"}},
	{{"Mohammadi"}},
	{{"Ahmadi"}},
	{{"Rahimi"}},
	{{"Karimi"}},
	{{"Hosseini", "Husseini"}},
	{{"Amin"}},
	{{"Saleh", "Salih"}},
	{{"Nouri", "Noori"}},
	{{"Haidari", "Haidary"}},
	{{"Azizi"}},
	{{"Ismail"}},
};

/* A pool of names of one heritage. */
struct pool {
	const struct given *female; /* given names for girls and women */
	size_t n_female;
	const struct given *male; /* given names for boys and men */
	size_t n_male;
	const struct family *family; /* family names */
	size_t n_family;
	const struct given *older_female; /* given names mostly of adults over 30, or NULL */
	size_t n_older_female;
	const struct given *older_male;
	size_t n_older_male;
};

enum pool_id { UK, IRISH, SOUTH_ASIAN, INDIAN, AFRICAN, CARIBBEAN, CHINESE, EUROPE, ARAB };

#define POOL(f, m, fam) {f, COUNT(f), m, COUNT(m), fam, COUNT(fam), NULL, 0, NULL, 0}
static const struct pool pools[] = {
	[UK] = {uk_female, COUNT(uk_female), uk_male, COUNT(uk_male), uk_family, COUNT(uk_family),
		uk_female_older, COUNT(uk_female_older), uk_male_older, COUNT(uk_male_older)},
	[IRISH] = POOL(irish_female, irish_male, irish_family),
	[SOUTH_ASIAN] = POOL(south_asian_female, south_asian_male, south_asian_family),
	[INDIAN] = POOL(indian_female, indian_male, indian_family),
	[AFRICAN] = POOL(african_female, african_male, african_family),
	[CARIBBEAN] = POOL(caribbean_female, caribbean_male, caribbean_family),
	[CHINESE] = POOL(chinese_female, chinese_male, chinese_family),
	[EUROPE] = POOL(europe_female, europe_male, europe_family),
	[ARAB] = POOL(arab_female, arab_male, arab_family),
};

/*
 * CIN census ethnicity codes, weighted (per thousand) roughly like the children of Manchester
 * and Stockport, each with the pools its names come from: `other` supplies given_other percent
 * of given names and family_other percent of family names, the rest come from `main`.
 */
static const struct ethnicity {
	char code[5];
	unsigned weight;
	enum pool_id main, other;
	unsigned given_other, family_other;
} ethnicities[] = {
	{"WBRI", 545, UK, IRISH, 5, 8},           {"WIRI", 10, IRISH, UK, 40, 30},
	{"WIRT", 3, IRISH, UK, 30, 20},           {"WOTH", 50, EUROPE, UK, 20, 10},
	{"WROM", 5, EUROPE, EUROPE, 0, 0},        {"MWBC", 30, UK, CARIBBEAN, 40, 40},
	{"MWBA", 15, UK, AFRICAN, 50, 50},        {"MWAS", 20, UK, SOUTH_ASIAN, 50, 50},
	{"MOTH", 30, UK, ARAB, 40, 40},           {"AIND", 20, INDIAN, UK, 10, 0},
	{"APKN", 90, SOUTH_ASIAN, UK, 5, 0},      {"ABAN", 20, SOUTH_ASIAN, UK, 5, 0},
	{"AOTH", 20, ARAB, SOUTH_ASIAN, 40, 40},  {"BCRB", 15, CARIBBEAN, UK, 50, 40},
	{"BAFR", 60, AFRICAN, UK, 25, 5},         {"BOTH", 15, AFRICAN, CARIBBEAN, 40, 40},
	{"CHNE", 10, CHINESE, UK, 50, 0},         {"OOTH", 22, ARAB, SOUTH_ASIAN, 20, 20},
	{"REFU", 5, UK, UK, 0, 0},                {"NOBT", 15, UK, SOUTH_ASIAN, 20, 20},
};

/* The number of non-NULL entries in a spelling or nickname array of n. */
static size_t filled(const char *const *a, size_t n)
{
	size_t k = 0;
	while (k < n && a[k])
		k++;
	return k;
}

/* A spelling from spell[0..4): the first (commonest) three times in four. */
static const char *pick_spelling(struct fake_rng *rng, const char *const spell[4])
{
	size_t n = filled(spell, 4);
	if (n == 1 || fake_below(rng, 4) != 0)
		return spell[0];
	return spell[1 + fake_below(rng, n - 1)];
}

/* A spelling from spell[0..4) other than `not`, or NULL when there is none. */
static const char *other_spelling(struct fake_rng *rng, const char *const spell[4], const char *not)
{
	const char *choice[4];
	size_t n = 0;
	for (size_t i = 0; i < 4 && spell[i]; i++)
		if (strcmp(spell[i], not) != 0)
			choice[n++] = spell[i];
	return n ? choice[fake_below(rng, n)] : NULL;
}

/* ASCII case-insensitive equality. */
static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
		char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* The first given-name entry with `name` among its spellings, in any pool, or NULL. */
static const struct given *given_find(const char *name)
{
	for (size_t p = 0; p < COUNT(pools); p++) {
		const struct given *lists[4] = {pools[p].female, pools[p].male, pools[p].older_female,
						pools[p].older_male};
		size_t counts[4] = {pools[p].n_female, pools[p].n_male, pools[p].n_older_female,
				    pools[p].n_older_male};
		for (int l = 0; l < 4; l++)
			for (size_t i = 0; i < counts[l]; i++)
				for (size_t k = 0; k < 4 && lists[l][i].spell[k]; k++)
					if (same_name(lists[l][i].spell[k], name))
						return &lists[l][i];
	}
	return NULL;
}

/*
 * Looks the name up in every pool (ignoring ASCII case, any spelling) and returns one of that
 * entry's nicknames at random, or its first when rng is NULL.
 */
const char *fake_nickname(const char *given_name, struct fake_rng *rng)
{
	const struct given *g = given_find(given_name);
	if (!g)
		return NULL;
	size_t n = filled(g->nick, 3);
	if (n == 0)
		return NULL;
	return g->nick[rng ? fake_below(rng, n) : 0];
}

/* ---- Places --------------------------------------------------------------------------------- */

/* First parts of invented street names. */
static const char *const street_first[] = {
	"Alder", "Ash", "Birch", "Bramble", "Cedar", "Elder", "Fern", "Hazel", "Heather", "Holly",
	"Juniper", "Larch", "Linnet", "Maple", "Moss", "Oak", "Rowan", "Sorrel", "Teasel", "Thistle",
	"Willow", "Wren", "Kestrel", "Lark", "Plover", "Heron", "Bracken", "Clover", "Foxglove",
	"Yarrow", "Sedge", "Tansy",
};

/* Second parts, used with the first about half the time ("Wrenmere", "Thistlebrook"). */
static const char *const street_second[] = {
	"brook", "field", "mere", "dale", "croft", "wood", "ley", "holme", "side", "bank",
};

static const char *const street_kind[] = {
	"Street", "Road", "Grove", "Close", "Avenue", "Lane", "Drive", "Way", "Crescent",
	"Walk", "Terrace", "Court", "Mews", "Gardens", "Place", "Rise",
};

/* Outward districts that exist in Greater Manchester, with their post towns and weights. */
static const struct district {
	char outward[5];
	const char *town;
	unsigned weight;
} districts[] = {
	{"SK1", "Stockport", 6},   {"SK2", "Stockport", 6},   {"SK3", "Stockport", 6},
	{"SK4", "Stockport", 6},   {"SK5", "Stockport", 6},   {"SK6", "Stockport", 5},
	{"SK7", "Stockport", 5},   {"SK8", "Cheadle", 5},     {"SK14", "Hyde", 2},
	{"SK15", "Stalybridge", 1}, {"SK16", "Dukinfield", 1}, {"M1", "Manchester", 2},
	{"M2", "Manchester", 1},   {"M3", "Manchester", 1},   {"M4", "Manchester", 2},
	{"M5", "Salford", 2},      {"M6", "Salford", 2},      {"M7", "Salford", 2},
	{"M8", "Manchester", 3},   {"M9", "Manchester", 3},   {"M11", "Manchester", 3},
	{"M12", "Manchester", 3},  {"M13", "Manchester", 3},  {"M14", "Manchester", 3},
	{"M15", "Manchester", 3},  {"M16", "Manchester", 3},  {"M18", "Manchester", 3},
	{"M19", "Manchester", 3},  {"M20", "Manchester", 3},  {"M21", "Manchester", 2},
	{"M22", "Manchester", 3},  {"M23", "Manchester", 3},  {"M24", "Manchester", 2},
	{"M25", "Manchester", 1},  {"M26", "Manchester", 1},  {"M27", "Manchester", 1},
	{"M28", "Manchester", 1},  {"M29", "Manchester", 1},  {"M30", "Manchester", 1},
	{"M31", "Manchester", 1},  {"M32", "Manchester", 1},  {"M33", "Sale", 2},
	{"M34", "Manchester", 2},  {"M35", "Manchester", 1},  {"M38", "Manchester", 1},
	{"M40", "Manchester", 3},  {"OL1", "Oldham", 1},      {"OL8", "Oldham", 1},
	{"OL9", "Oldham", 1},      {"BL1", "Bolton", 1},      {"BL3", "Bolton", 1},
	{"WA14", "Altrincham", 1}, {"WA15", "Altrincham", 1},
};

/* Letters Royal Mail uses in inward codes (no C, I, K, M, O or V). */
static const char inward_letters[] = "ABDEFGHJLNPQRSTUWXYZ";

/* ---- One person ----------------------------------------------------------------------------- */

/* Copy src into dst[cap], truncating. */
static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

/* Append alias text to p when there is room and it is not already there. */
static void alias_add(struct fake_person *p, const char *text)
{
	if (p->alias_count >= 3 || !*text)
		return;
	for (int i = 0; i < p->alias_count; i++)
		if (strcmp(p->aliases[i], text) == 0)
			return;
	copy(p->aliases[p->alias_count++], sizeof p->aliases[0], text);
}

/* A given name from pool `gp`; adults over 30 take most of theirs from the older lists. */
static const struct given *pick_given(struct fake_rng *rng, const struct pool *gp, bool female,
				      int age)
{
	const struct given *list = female ? gp->female : gp->male;
	size_t n = female ? gp->n_female : gp->n_male;
	if (age > 30 && gp->older_female && chance(rng, 700)) {
		list = female ? gp->older_female : gp->older_male;
		n = female ? gp->n_older_female : gp->n_older_male;
	}
	return &list[pick_front(rng, n)];
}

/* The pool for one name of a person of ethnicity e (other_pct: percent from e->other). */
static const struct pool *pool_for(struct fake_rng *rng, const struct ethnicity *e,
				   unsigned other_pct)
{
	return &pools[fake_below(rng, 100) < other_pct ? e->other : e->main];
}

/* An age in whole years: a child 9-17, a young adult 18-25, or an older adult at risk. */
static int pick_age(struct fake_rng *rng, bool child)
{
	/* Children at risk of exploitation are mostly 13-16. */
	static const unsigned child_w[] = {2, 3, 5, 8, 12, 17, 20, 18, 15}; /* ages 9..17 */
	static const unsigned young_w[] = {20, 18, 15, 12, 10, 9, 8, 8};    /* ages 18..25 */
	if (child)
		return 9 + (int)pick_weighted(rng, child_w, COUNT(child_w));
	if (chance(rng, 120))
		return 26 + (int)fake_below(rng, 45); /* 26..70 */
	return 18 + (int)pick_weighted(rng, young_w, COUNT(young_w));
}

/* The date `years` years before `today` (29 February becomes 28 February in other years). */
static struct valid_date years_before(const struct valid_date *today, int years)
{
	struct valid_date d = {today->year - years, today->month, today->day};
	if (d.month == 2 && d.day == 29 && !(d.year % 4 == 0 && (d.year % 100 != 0 || d.year % 400 == 0)))
		d.day = 28;
	return d;
}

/*
 * A date of birth giving exactly `age` on today: uniform over the days from the day after the
 * (age+1)th anniversary-to-be up to the age-th.
 */
static struct valid_date pick_dob(struct fake_rng *rng, const struct valid_date *today, int age)
{
	struct valid_date hi = years_before(today, age), lo = years_before(today, age + 1);
	int64_t hi_days = valid_days_from_civil(&hi), lo_days = valid_days_from_civil(&lo) + 1;
	struct valid_date d;
	valid_civil_from_days(lo_days + (int64_t)fake_below(rng, (uint64_t)(hi_days - lo_days + 1)), &d);
	return d;
}

/* Write an NHS number from the 999 range with a valid check digit into out[11]. */
static void make_nhs(struct fake_rng *rng, char out[11])
{
	for (;;) {
		snprintf(out, 11, "999%06u", (unsigned)fake_below(rng, 1000000));
		int check = valid_nhs_check_digit(out);
		if (check >= 0) {
			out[9] = (char)('0' + check);
			out[10] = '\0';
			return;
		}
	}
}

/*
 * Write a UPN into out[14]: LA number 999 (no authority has it), a primary (2xxx) or secondary
 * (4xxx) establishment number, the two-digit year the number was issued (the year the child
 * started school), a serial, and the check letter. About 3% are temporary (final letter).
 */
static void make_upn(struct fake_rng *rng, const struct valid_date *dob, char out[14])
{
	static const char alphabet[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	unsigned estab = (fake_below(rng, 3) ? 2000u : 4000u) + (unsigned)fake_below(rng, 1000);
	unsigned year = (unsigned)(dob->year + 4 + (int)fake_below(rng, 3)) % 100;
	char tail[13];
	snprintf(tail, sizeof tail, "999%04u%02u%03u", estab, year, (unsigned)fake_below(rng, 1000));
	if (chance(rng, 30))
		tail[11] = alphabet[fake_below(rng, sizeof alphabet - 1)];
	out[0] = valid_upn_check_letter(tail);
	memcpy(out + 1, tail, 13);
}

/* "12 Larch Grove", "Flat 3, 40 Wrenmere Court" */
static void make_line1(struct fake_rng *rng, char *out, size_t cap)
{
	char street[48];
	const char *first = street_first[fake_below(rng, COUNT(street_first))];
	const char *kind = street_kind[fake_below(rng, COUNT(street_kind))];
	if (fake_below(rng, 2))
		snprintf(street, sizeof street, "%s%s %s", first,
			 street_second[fake_below(rng, COUNT(street_second))], kind);
	else
		snprintf(street, sizeof street, "%s %s", first, kind);
	unsigned number = 1 + (unsigned)fake_below(rng, 180);
	if (chance(rng, 100))
		snprintf(out, cap, "Flat %u, %u %s", 1 + (unsigned)fake_below(rng, 24), number, street);
	else
		snprintf(out, cap, "%u %s", number, street);
}

/* A district and a random inward code: "SK4 2QT". */
static void make_address(struct fake_rng *rng, struct fake_person *p)
{
	unsigned w[COUNT(districts)];
	for (size_t i = 0; i < COUNT(districts); i++)
		w[i] = districts[i].weight;
	const struct district *d = &districts[pick_weighted(rng, w, COUNT(w))];
	make_line1(rng, p->line1, sizeof p->line1);
	copy(p->town, sizeof p->town, d->town);
	char letters[3] = {inward_letters[fake_below(rng, sizeof inward_letters - 1)],
			   inward_letters[fake_below(rng, sizeof inward_letters - 1)], '\0'};
	snprintf(p->postcode, sizeof p->postcode, "%s %u%s", d->outward,
		 (unsigned)fake_below(rng, 10), letters);
}

/* Up to three aliases: a nickname, a spelling variant of the full name, another family name. */
static void make_aliases(struct fake_rng *rng, struct fake_person *p, const struct given *g,
			 const struct family *f, const struct pool *family_pool)
{
	static const unsigned count_w[] = {50, 25, 17, 8}; /* 0, 1, 2 or 3 aliases */
	int want = (int)pick_weighted(rng, count_w, COUNT(count_w));
	char buf[80];
	for (int attempt = 0; attempt < 6 && p->alias_count < want; attempt++) {
		switch (fake_below(rng, 3)) {
		case 0: { /* a nickname on its own: "Kay" */
			const char *nick = fake_nickname(p->given_name, rng);
			if (nick)
				alias_add(p, nick);
			break;
		}
		case 1: { /* a spelling variant: "Kayley Smith" */
			const char *gv = other_spelling(rng, g->spell, p->given_name);
			const char *fv = other_spelling(rng, f->spell, p->family_name);
			if (gv && fv && fake_below(rng, 2))
				gv = NULL; /* usually only one part is spelled differently */
			if (gv || fv) {
				snprintf(buf, sizeof buf, "%s %s", gv ? gv : p->given_name,
					 fv ? fv : p->family_name);
				alias_add(p, buf);
			}
			break;
		}
		default: { /* another family name (a parent's, a step-parent's) */
			const struct family *o =
				&family_pool->family[pick_front(rng, family_pool->n_family)];
			if (strcmp(o->spell[0], p->family_name) != 0) {
				snprintf(buf, sizeof buf, "%s %s", p->given_name, o->spell[0]);
				alias_add(p, buf);
			}
			break;
		}
		}
	}
}

/*
 * Draw in this order (the order is part of determinism): age and sex, ethnicity, names,
 * aliases, date of birth, identifiers, address, phone. An invalid `today` is read as 2026-01-01.
 */
void fake_person(struct fake_rng *rng, const char *today, int child_share, struct fake_person *p)
{
	memset(p, 0, sizeof *p); /* padding too, so equal people compare equal with memcmp */
	struct valid_date now;
	if (!today || !valid_parse_date(today, &now))
		now = (struct valid_date){2026, 1, 1};
	if (child_share < 0)
		child_share = 0;
	if (child_share > 100)
		child_share = 100;

	/* Age and sex: girls are two thirds of the children, a little over half of the adults. */
	bool child = fake_below(rng, 100) < (uint64_t)child_share;
	int age = pick_age(rng, child);
	bool female;
	if (chance(rng, 5)) {
		copy(p->sex, sizeof p->sex, "unknown");
		female = fake_below(rng, 2);
	} else {
		female = child ? fake_below(rng, 3) < 2 : fake_below(rng, 100) < 55;
		copy(p->sex, sizeof p->sex, female ? "female" : "male");
	}

	/* Ethnicity, and the pools the names come from. */
	unsigned w[COUNT(ethnicities)];
	for (size_t i = 0; i < COUNT(ethnicities); i++)
		w[i] = ethnicities[i].weight;
	const struct ethnicity *e = &ethnicities[pick_weighted(rng, w, COUNT(w))];
	copy(p->ethnicity, sizeof p->ethnicity, e->code);

	const struct pool *gp = pool_for(rng, e, e->given_other);
	const struct pool *fp = pool_for(rng, e, e->family_other);
	const struct given *g = pick_given(rng, gp, female, age);
	const struct family *f = &fp->family[pick_front(rng, fp->n_family)];
	copy(p->given_name, sizeof p->given_name, pick_spelling(rng, g->spell));
	const char *family = pick_spelling(rng, f->spell);
	if (fp == &pools[UK] && chance(rng, 20)) {
		/* A double-barrelled name: "Smith-Jones". */
		const struct family *f2 = &fp->family[pick_front(rng, fp->n_family)];
		if (f2 != f) {
			snprintf(p->family_name, sizeof p->family_name, "%s-%s", family, f2->spell[0]);
			family = NULL;
		}
	}
	if (family)
		copy(p->family_name, sizeof p->family_name, family);
	make_aliases(rng, p, g, f, fp);

	/* Date of birth. Estimated dates are recorded as the first of the month. */
	struct valid_date dob = pick_dob(rng, &now, age);
	if (chance(rng, 20)) {
		p->dob_estimated = true;
		struct valid_date first = {dob.year, dob.month, 1};
		if (valid_age_on(&first, &now) == age)
			dob = first;
	}
	valid_format_date(&dob, p->dob);

	/* Identifiers. */
	if (!chance(rng, 100))
		make_nhs(rng, p->nhs_number);
	if (age < 19 && chance(rng, 900))
		make_upn(rng, &dob, p->upn);
	if (chance(rng, 200))
		snprintf(p->police_ref, sizeof p->police_ref, "GMP/%02u/%06u",
			 (unsigned)(now.year - (int)fake_below(rng, 5)) % 100,
			 (unsigned)fake_below(rng, 1000000));
	if (chance(rng, 950))
		snprintf(p->la_id, sizeof p->la_id, "LA-%07u",
			 1000000u + (unsigned)fake_below(rng, 9000000));

	make_address(rng, p);
	if (chance(rng, 600))
		snprintf(p->phone, sizeof p->phone, "07700 900%03u", (unsigned)fake_below(rng, 1000));
}
