/*
 * match_names.c - the engine's name data (match_int.h): the nickname table (groups of given
 * names that are forms of one name: spelling variants such as Kayleigh / Kayley / Kaleigh and
 * short forms such as Bill / William) and the shares of the commonest family names in England
 * and Wales (for the default model's term-frequency adjustment, where no data set is at hand).
 * The groups cover the names of `safehub demo` (fake.c) and the common English short forms; a
 * name may belong to several groups ("harry": Harry, Harrison, Henry, Harold), and two names are
 * nicknames of each other when they share a group. Names are folded (lower-case ASCII letters).
 * Owns: the tables and their lookups. Must not touch: HTTP, SQL, files.
 */
#include "match_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Each string is one group, its names separated by single spaces, the usual full form first. */
static const char *const nick_groups[] = {
	"olivia liv livvy", "amelia millie amy", "isla islay", "mia miah", "lily lilly lillie lil",
	"sophie sophia sofia soph", "ruby rubes", "emily emilie em emmy", "grace gracie", "evie evey", "poppy pops",
	"jessica jess jessie jessy", "chloe cloey clo", "millie milly mills", "phoebe pheebs", "scarlett scarlet",
	"holly hols", "lacey lacie", "kayleigh kayley kaleigh kayly kay kayls kaylee", "leah lea",
	"megan meghan meg megs", "courtney kortney court", "chelsea chelsey chels", "lauren loren", "bethany beth",
	"shannon shan", "abigail abbie abby gail abbey", "ellie elly el", "tia tiah", "kelsey kelsie kels",
	"charlotte charlie lottie", "hannah hanna han", "rebecca rebekah becky becca bex",
	"samantha sam sammy sammie", "katie katy katey kat", "danielle dani", "nicole nikki", "stephanie steph",
	"elizabeth beth lizzie liz betty bess bessie eliza libby elsie lisa lizzy",
	"victoria vicky tori vicki vikki", "jasmine jasmin jaz", "eleanor elinor ellie nell nellie elle",
	"georgia george", "alice ali", "caitlin katelyn kaitlyn cait", "madison maddison maddie", "skye sky",
	"zoe zoey", "harriet hattie", "imogen immy", "molly mollie", "natalie nathalie nat", "keeley keely",
	"aimee amy", "mya myah", "matilda tilly tilda", "florence flo florrie", "maisie maisy", "lexi lexie",
	"oliver ollie olly", "harry haz", "george georgie", "charlie charley chaz", "jacob jake jakey jakob",
	"thomas tom tommy thom", "oscar ozzy", "william billy will bill willy liam willie wills",
	"james jamie jim jimmy jem jimi", "joshua josh", "alfie alfy alf", "freddie freddy fred", "archie arch",
	"riley ryley", "callum calum cal", "connor conner con", "daniel dan danny", "matthew matt matty mathew",
	"lewis louis", "bradley brad", "kieran kieron kez", "tyler ty", "reece rhys reese",
	"jayden jaden jaiden jay", "nathan nate nath nathen", "samuel sam sammy", "joseph joe joey jo",
	"benjamin ben benny benji", "alexander alex xander alec sandy lex alexandre alasdair alistair",
	"dylan dillon", "aaron aron", "kai kye", "harrison harry", "toby tobias tobes", "jamie jaime", "ashley ash",
	"edward ed eddie ted teddy ned eddy", "henry harry hal hank", "theo theodore teddy", "finley finlay fin",
	"jenson jensen", "frankie frank", "lucas lukas luke", "zachary zackary zach zac zack", "isaac zac",
	"cameron kameron cam", "elliot elliott", "kane cain", "tommy tom", "billy billie", "tracey tracy trace",
	"michelle shell", "julie jules", "gemma jemma gem", "kirsty kirstie", "stacey stacy stace",
	"joanne joanna jo", "sharon shaz", "angela angie", "susan sue susie suzy suzanne",
	"deborah debra debbie debs deb", "nicola nicky nic", "claire clare", "kelly kelley", "amanda mandy",
	"sarah sara sally sadie", "scott scotty", "dean deano", "darren daz", "mark marc",
	"stephen steven steve stevie", "christopher kristopher chris kit topher", "anthony tony ant antony",
	"michael mike mikey mick mickey micky", "robert rob bobby robbie bob bert robby",
	"richard rich ricky rick dick richie", "lee leigh", "gary gaz", "kevin kev", "andrew andy drew",
	"david dave davey davy", "neil neal", "peter pete", "ian iain", "niamh neve neave", "siobhan shivaun shiv",
	"aoife eefa", "ciara kiera keira", "roisin rosheen ro", "orla orlagh", "aisling ashling ash",
	"bridget bridgette bridie biddy", "saoirse seersha", "caoimhe keeva", "mary maire molly mae",
	"sean shaun shawn", "conor connor conner con", "declan dec deccy", "cian kian", "patrick paddy pat",
	"aidan aiden", "ciaran kieran", "eoin owen", "finn fionn", "john johnny jack jon jonny",
	"ayesha aisha aysha", "fatima fatimah", "zainab zaynab", "maryam mariam mariyam", "amina aminah",
	"hafsa hafsah", "inaya inaaya", "zara zarah", "aleena alina", "khadija khadijah", "sana sanaa",
	"samira sameera", "yasmin yasmeen yas", "noor nur", "hajra hajrah", "tasnim tasneem", "rukhsana ruksana",
	"sumaya sumayyah", "mohammed muhammad mohammad mohamed mo", "ahmed ahmad", "hamza hamzah",
	"yusuf yousaf yousuf", "zain zayn", "ayaan ayan", "omar umar", "hassan hasan", "usman osman",
	"zakariya zakaria zak", "rayyan rayan", "ismail ismael", "tariq tarik", "faisal faysal", "rizwan riz",
	"anika anikha", "aarya arya", "simran simi", "harpreet harp", "jaspreet jas", "navneet nav", "pooja puja",
	"riya ria", "sonia sonya", "aarav arav", "vikram vik", "harjit harjeet", "gurpreet guri", "sanjay sanj",
	"nikhil nik", "adaeze ada", "folake fola", "temitope temi tope", "funmilayo funmi", "chukwuemeka emeka",
	"oluwaseun seun", "oluwatobi tobi", "adebayo bayo", "emmanuel manny", "abdirahman abdi", "yonas yonatan",
	"olufemi femi", "shanice shaniece", "tanisha tan", "keisha keysha", "aaliyah aliyah liyah",
	"chantelle shantelle", "tyrone ty", "andre dre", "jamal jamaal", "devon devonte", "elijah eli", "hui wai",
	"jun chun", "hao ho", "jian kin", "zuzanna zuzana zuza", "oliwia olivia", "wiktoria viktoria wika",
	"natalia nata", "maja maya", "aleksandra alexandra ola", "agnieszka aga", "gabriela gabi",
	"nikola nicola niki", "katerina katka", "beatriz bia", "jakub jacob kuba", "szymon simon szymek",
	"kacper kasper", "filip philip", "mateusz mati", "piotr piotrek", "andrei andrey", "alexandru alex",
	"tomas tomi", "amira ameera", "layla leila laila", "shirin shireen", "mustafa mostafa", "karim kareem",
	"hussein hussain", "yousef yusuf", "khalid khaled", "jonathan jon jonny jonty",
	"nicholas nick nicky nico nicolas", "alexandra alex lexi sandra sasha lexie alexa",
	"charles charlie chas chuck chaz", "harold harry hal", "frederick fred freddie freddy",
	"alfred alf alfie fred", "albert al bert bertie", "arthur art artie", "lawrence larry laurie laurence",
	"leonard len lenny leo", "gregory greg", "timothy tim timmy", "kenneth ken kenny", "ronald ron ronnie",
	"donald don donny", "gerald gerry jerry", "raymond ray", "terence terry terrence", "philip phil pip phillip",
	"nathaniel nat nate nathan", "maximilian max", "maxwell max", "archibald archie", "theodore theo ted teddy",
	"jeremy jerry jez", "gareth gaz", "margaret maggie meg peggy marge madge greta",
	"catherine kate katie kathy cathy cat kitty katherine kathryn kathrine katharine",
	"jennifer jen jenny jenni", "rachel rach", "agnes aggie", "alison ali ally allie allison",
	"barbara barb babs", "christine chris chrissie tina chrissy", "christina chris tina chrissy",
	"caroline carol carrie", "dorothy dot dotty dolly", "ellen ellie nell", "emma em emmy",
	"frances fran fanny frankie", "gillian gill jill", "jacqueline jackie jacqui", "jane jenny janey",
	"josephine jo josie", "judith judy jude", "julia julie jules", "kimberley kim kimberly", "melissa mel missy",
	"pamela pam", "patricia pat patsy trish tricia", "penelope penny", "teresa tess tessa terri theresa",
	"valerie val", "isabella izzy bella isabel isabelle isobel", "isabel izzy bel isobel isabelle",
	"gabriella gabby gabi gabrielle", "georgina georgie gina", "antonia toni", "alexis alex lexi",
};

#define NICK_GROUPS (sizeof nick_groups / sizeof nick_groups[0])

/* One name of a group, for the sorted index. */
struct nick_entry {
	char name[MR_NAME]; /* a folded name */
	uint16_t group;     /* one group it is in (its index in nick_groups) */
};

static struct nick_entry *nick_index;
static size_t nick_n;
static pthread_once_t nick_once = PTHREAD_ONCE_INIT;

static int nick_cmp(const void *x, const void *y)
{
	const struct nick_entry *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	return c ? c : (int)a->group - (int)b->group;
}

/* Build the sorted (name, group) index once. Out of memory leaves it empty: no nicknames. */
static void nick_build(void)
{
	size_t cap = 0;
	for (size_t g = 0; g < NICK_GROUPS; g++) {
		cap++;
		for (const char *p = nick_groups[g]; *p; p++)
			cap += *p == ' ';
	}
	nick_index = calloc(cap, sizeof *nick_index);
	if (!nick_index)
		return;
	for (size_t g = 0; g < NICK_GROUPS; g++) {
		const char *p = nick_groups[g];
		while (*p) {
			size_t len = strcspn(p, " ");
			if (len > 0 && len < MR_NAME) {
				memcpy(nick_index[nick_n].name, p, len);
				nick_index[nick_n].group = (uint16_t)g;
				nick_n++;
			}
			p += len;
			while (*p == ' ')
				p++;
		}
	}
	qsort(nick_index, nick_n, sizeof *nick_index, nick_cmp);
}

int match_nick_groups(const char *folded, int len, uint16_t out[MR_NICK])
{
	if (len <= 0 || len >= MR_NAME)
		return 0;
	pthread_once(&nick_once, nick_build);
	char key[MR_NAME];
	memcpy(key, folded, (size_t)len);
	key[len] = 0;
	/* The first entry with this name (binary search for the lower bound). */
	size_t lo = 0, hi = nick_n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(nick_index[mid].name, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int n = 0;
	for (size_t i = lo; i < nick_n && n < MR_NICK && strcmp(nick_index[i].name, key) == 0; i++)
		if (n == 0 || out[n - 1] != nick_index[i].group)
			out[n++] = nick_index[i].group;
	return n;
}

const char *match_nick_group_name(uint16_t g)
{
	return g < NICK_GROUPS ? nick_groups[g] : "";
}

/*
 * The commonest family names of England and Wales with their approximate share of the
 * population in percent (rounded from the 2000s electoral-roll counts; close enough for a
 * weight that only needs the order of magnitude).
 */
static const struct surname {
	const char *name; /* folded, in ascending order (bsearch) */
	float percent;    /* of the population */
} surnames[] = {
	{ "adams", 0.10f },     { "ahmed", 0.08f },      { "ali", 0.09f },        { "allen", 0.13f },
	{ "anderson", 0.10f },  { "andrews", 0.07f },    { "armstrong", 0.06f },  { "atkinson", 0.07f },
	{ "bailey", 0.10f },    { "baker", 0.13f },      { "ball", 0.07f },       { "barker", 0.08f },
	{ "barnes", 0.08f },    { "begum", 0.09f },      { "bell", 0.10f },       { "bennett", 0.11f },
	{ "booth", 0.07f },     { "bradley", 0.07f },    { "brooks", 0.07f },     { "brown", 0.42f },
	{ "burton", 0.07f },    { "butler", 0.08f },     { "campbell", 0.08f },   { "carter", 0.11f },
	{ "chapman", 0.09f },   { "clark", 0.14f },      { "clarke", 0.17f },     { "cole", 0.07f },
	{ "collins", 0.10f },   { "cook", 0.11f },       { "cooper", 0.15f },     { "cox", 0.10f },
	{ "davies", 0.38f },    { "davis", 0.12f },      { "dawson", 0.07f },     { "day", 0.07f },
	{ "dixon", 0.08f },     { "edwards", 0.20f },    { "elliott", 0.07f },    { "ellis", 0.10f },
	{ "evans", 0.28f },     { "fisher", 0.08f },     { "fletcher", 0.08f },   { "ford", 0.07f },
	{ "foster", 0.09f },    { "fox", 0.07f },        { "gibson", 0.07f },     { "gill", 0.07f },
	{ "graham", 0.08f },    { "gray", 0.09f },       { "green", 0.19f },      { "griffiths", 0.11f },
	{ "hall", 0.19f },      { "harris", 0.18f },     { "harrison", 0.13f },   { "harvey", 0.08f },
	{ "hill", 0.15f },      { "holmes", 0.08f },     { "howard", 0.07f },     { "hughes", 0.19f },
	{ "hunt", 0.09f },      { "hussain", 0.08f },    { "jackson", 0.17f },    { "james", 0.13f },
	{ "jenkins", 0.08f },   { "johnson", 0.25f },    { "jones", 0.76f },      { "kaur", 0.07f },
	{ "kelly", 0.11f },     { "khan", 0.10f },       { "king", 0.14f },       { "knight", 0.08f },
	{ "lee", 0.14f },       { "lewis", 0.18f },      { "lloyd", 0.08f },      { "marshall", 0.10f },
	{ "martin", 0.15f },    { "mason", 0.09f },      { "matthews", 0.08f },   { "miller", 0.10f },
	{ "mills", 0.08f },     { "mitchell", 0.11f },   { "moore", 0.14f },      { "morgan", 0.13f },
	{ "morris", 0.14f },    { "murphy", 0.10f },     { "murray", 0.08f },     { "owen", 0.08f },
	{ "palmer", 0.08f },    { "parker", 0.12f },     { "patel", 0.17f },      { "payne", 0.07f },
	{ "pearce", 0.07f },    { "pearson", 0.08f },    { "phillips", 0.12f },   { "powell", 0.09f },
	{ "price", 0.11f },     { "reynolds", 0.07f },   { "richards", 0.10f },   { "richardson", 0.11f },
	{ "roberts", 0.25f },   { "robinson", 0.22f },   { "rogers", 0.09f },     { "russell", 0.08f },
	{ "saunders", 0.07f },  { "scott", 0.13f },      { "shaw", 0.10f },       { "simpson", 0.10f },
	{ "singh", 0.10f },     { "smith", 1.16f },      { "spencer", 0.07f },    { "stevens", 0.08f },
	{ "stewart", 0.07f },   { "taylor", 0.43f },     { "thomas", 0.27f },     { "thompson", 0.22f },
	{ "turner", 0.15f },    { "walker", 0.21f },     { "walsh", 0.07f },      { "ward", 0.14f },
	{ "watson", 0.12f },    { "webb", 0.09f },       { "west", 0.07f },       { "white", 0.20f },
	{ "wilkinson", 0.09f }, { "williams", 0.52f },   { "wilson", 0.28f },     { "wood", 0.16f },
	{ "wright", 0.21f },    { "young", 0.11f },
};

static int surname_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct surname *)e)->name);
}

float match_surname_lp(const char *folded, int len)
{
	char key[MR_NAME];
	if (len <= 0 || len >= MR_NAME)
		return 0;
	memcpy(key, folded, (size_t)len);
	key[len] = 0;
	const struct surname *s = bsearch(key, surnames, sizeof surnames / sizeof surnames[0], sizeof surnames[0],
					  surname_cmp);
	return s ? (float)log2(s->percent / 100.0) : 0.0f;
}
