package demo

import "regulars/rules"

// Lists the demo shop draws from. They are plain slices (never maps) so that
// the same seed always picks the same entries.

// demoCulture pairs first and last names that belong together; a few
// customers get a last name from another list, as in any town.
type demoCulture struct {
	weight int
	first  []string
	last   []string
}

var demoCultures = []demoCulture{
	{weight: 34, // English
		first: []string{"Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Sophie",
			"Thomas", "Grace", "James", "Lily", "William", "Zoë", "Daniel", "Chloe", "Samuel", "Ella", "Joseph",
			"Hannah", "Matthew", "Lucy", "Benjamin", "Rosie", "David", "Margaret", "Peter", "Susan", "Richard",
			"Janet", "Michael", "Pauline", "Christopher", "Beverley", "Stephen", "Gillian", "Andrew", "Maureen",
			"Mary-Kate", "Rebecca", "Nathan", "Abigail", "Edward", "Harriet", "Frederick", "Imogen", "Toby", "Poppy"},
		last: []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
			"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
			"Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King", "Harris", "Baker",
			"Lewis", "Pearce", "Trelawny", "Penrose", "Pascoe", "Nancarrow", "Hosking", "Chegwidden", "Ashworth",
			"Smith-Jones", "Fairweather", "Hawkins", "Pengelly", "Tregear"}},
	{weight: 8, // Irish
		first: []string{"Siobhán", "Aoife", "Niamh", "Seán", "Ciarán", "Pádraig", "Róisín", "Orla", "Eoin", "Caoimhe",
			"Darragh", "Saoirse", "Cathal", "Máire", "Declan", "Bríd"},
		last: []string{"O'Brien", "Murphy", "Kelly", "O'Sullivan", "Walsh", "McCarthy", "Byrne", "O'Connor",
			"Ní Bhriain", "Ó Ceallaigh", "Gallagher", "Doherty", "Fitzgerald", "McLoughlin"}},
	{weight: 7, // Scottish
		first: []string{"Eilidh", "Callum", "Mhairi", "Ruaridh", "Fraser", "Morag", "Hamish", "Kirsty", "Angus",
			"Catriona", "Alasdair", "Iona", "Finlay", "Ishbel"},
		last: []string{"MacDonald", "Campbell", "Stewart", "Robertson", "MacLeod", "Fraser", "Ross", "Mackenzie",
			"Murray", "Sinclair", "Grant", "McIntyre", "Munro"}},
	{weight: 5, // Welsh
		first: []string{"Rhys", "Cerys", "Dafydd", "Gwen", "Ffion", "Iwan", "Siân", "Gethin", "Nia", "Llŷr", "Angharad",
			"Owain"},
		last: []string{"Jones", "Llewellyn", "Pritchard", "Vaughan", "Griffiths", "Pryce", "Howells", "ap Rhys",
			"Morgan", "Bowen"}},
	{weight: 6, // Polish
		first: []string{"Łukasz", "Małgorzata", "Wojciech", "Zofia", "Krzysztof", "Agnieszka", "Paweł", "Katarzyna",
			"Michał", "Joanna", "Bartłomiej", "Ewa", "Grzegorz", "Żaneta"},
		last: []string{"Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zieliński",
			"Szymańska", "Dąbrowski", "Kozłowska", "Jankowski", "Mazur"}},
	{weight: 5, // Spanish and Portuguese
		first: []string{"José", "María", "Lucía", "Álvaro", "Íñigo", "Carmen", "Javier", "Begoña", "João", "Inês",
			"Conceição", "Gonçalo", "Beatriz", "Tomás"},
		last: []string{"García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Muñoz", "Gómez",
			"Silva", "Gonçalves", "Araújo", "Ribeiro", "Magalhães"}},
	{weight: 4, // French and German
		first: []string{"Hélène", "François", "Mathéo", "Chloé", "Amélie", "Jérôme", "Séverine", "Jürgen", "Jörg",
			"Käthe", "Björn", "Mareike", "Lukas", "Anaïs"},
		last: []string{"Dubois", "Lefèvre", "Moreau", "Girard", "Bénard", "Müller", "Schröder", "Weiß", "Köhler",
			"Hoffmann", "Becker", "Fournier"}},
	{weight: 3, // Nordic
		first: []string{"Søren", "Åsa", "Bjørn", "Sigrún", "Ingrid", "Magnús", "Freja", "Henrik", "Astrid", "Eiríkur"},
		last: []string{"Jensen", "Sørensen", "Lindqvist", "Håkansson", "Johansson", "Guðmundsdóttir", "Nyström",
			"Bergström", "Halvorsen"}},
	{weight: 9, // South Asian
		first: []string{"Priya", "Arjun", "Ananya", "Rohan", "Imran", "Ayesha", "Sanjay", "Deepa", "Harpreet",
			"Gurpreet", "Farhan", "Nadia", "Vikram", "Shreya", "Zainab", "Rajesh"},
		last: []string{"Patel", "Shah", "Sharma", "Singh", "Kaur", "Khan", "Hussain", "Ahmed", "Gupta", "Chaudhry",
			"Iyer", "Reddy", "Begum", "Malik"}},
	{weight: 5, // West African
		first: []string{"Chinedu", "Adaeze", "Kwame", "Ama", "Oluwaseun", "Folake", "Emeka", "Ngozi", "Kofi", "Yaa",
			"Tunde", "Chiamaka"},
		last: []string{"Okafor", "Adeyemi", "Mensah", "Boateng", "Okonkwo", "Adebayo", "Asante", "Nwosu",
			"Owusu", "Balogun"}},
	{weight: 4, // East and South-East Asian
		first: []string{"Wei", "Mei", "Jun", "Xiaoling", "Hiroshi", "Yuki", "Minh", "Thảo", "Ji-woo", "Seo-yeon",
			"Kenji", "Lian"},
		last: []string{"Chen", "Wang", "Li", "Zhang", "Nguyễn", "Trần", "Tanaka", "Sato", "Kim", "Park", "Wong",
			"Lau"}},
	{weight: 4, // Mediterranean and Middle Eastern
		first: []string{"Nikos", "Eleni", "Giulia", "Matteo", "Emre", "Ayşe", "Çağla", "Yusuf", "Fatima", "Layla",
			"Omar", "Dimitra", "Francesca", "Selim"},
		last: []string{"Papadopoulos", "Georgiou", "Rossi", "Bianchi", "Esposito", "Yılmaz", "Öztürk", "Şahin",
			"Haddad", "Mansour", "Kaya", "Costa"}},
}

// demoFold turns accented letters into the plain ones people type in
// email addresses: "Zoë" becomes "zoe", "Łukasz" becomes "lukasz".
var demoFold = []struct{ from, to string }{
	{"àáâãäåāą", "a"}, {"æ", "ae"}, {"çćč", "c"}, {"ðđ", "d"}, {"èéêëēęěễ", "e"}, {"ğ", "g"},
	{"ìíîïīı", "i"}, {"ł", "l"}, {"ñńň", "n"}, {"òóôõöøōő", "o"}, {"œ", "oe"}, {"ŕř", "r"},
	{"śšş", "s"}, {"ß", "ss"}, {"ťţ", "t"}, {"ùúûüūůű", "u"}, {"ýÿŷ", "y"}, {"źżž", "z"},
	{"ảạ", "a"}, {"ầấậ", "a"}, {"ắằ", "a"}, {"ạ", "a"}, {"ệế", "e"}, {"ộốồ", "o"}, {"ừứự", "u"},
	{"þ", "th"},
}

// Demo email domains are reserved names (RFC 2606 and 6761) so that a demo
// message can never reach a real person.
var demoEmailDomains = []string{"example.com", "example.org", "example.net", "mail.example", "post.example",
	"inbox.example"}

var demoStreets = []string{"Harbour Lane", "Quay Street", "Chapel Row", "Fore Street", "Mill Lane",
	"Church Road", "Bank Place", "Harbour View", "Trevarthian Road", "Lighthouse Hill", "Sea View Terrace",
	"Orchard Close", "Station Road", "The Moor", "Ropewalk", "Ferry Lane"}

var demoTowns = []string{"Porthallow", "St Keverne", "Mawnan Smith", "Flushing", "Mylor Bridge", "Penryn",
	"Constantine", "Budock Water", "Gweek", "Helford"}

var demoNotes = []string{
	"Size 9 boots, wide fit.",
	"Prefers Páramo over Gore-Tex.",
	"Walks the coast path every summer; ask how it went.",
	"Daughter is doing Duke of Edinburgh gold.",
	"Allergic to wool — suggest synthetics.",
	"Comes in with a spaniel called Biscuit.",
	"Sails out of Mylor most weekends.",
	"Likes a call rather than texts.",
	"Buys gifts for the grandchildren before Christmas.",
	"Runs the Tuesday ramblers group.",
	"Hard of hearing; speak up on the phone.",
	"Training for the Three Peaks.",
	"Returned a tent once; be careful with pitching advice.",
	"Works shifts at the hospital — call after 4pm.",
	"Always asks for the end-of-season sale.",
	"Size 12 in trail shoes, 11 in wellies.",
}

// demoTags: each tag with the share of customers (in percent) who carry it.
var demoTags = []struct {
	name string
	pct  int
}{{"vip", 5}, {"trade", 3}, {"newsletter", 22}, {"wholesale", 1}, {"walking-club", 6}, {"sailing-club", 4}}

var demoConsentSources = []string{"in person", "signed form", "web form", "till sign-up"}

// demoProduct is one line of the shop's range; prices in cents.
type demoProduct struct {
	name     string
	min, max rules.Cents
	weight   int
	addOn    bool // small enough to be added to another sale
}

var demoProducts = []demoProduct{
	{"Walking socks", 1200, 2200, 90, true},
	{"Wool beanie", 1200, 2800, 40, true},
	{"Gloves", 1800, 4500, 35, true},
	{"Boot reproofing wax", 800, 1200, 30, true},
	{"OS Explorer map", 1000, 1600, 25, true},
	{"Flask", 1800, 3500, 25, true},
	{"Head torch", 2000, 6000, 30, true},
	{"Sun hat", 1500, 3000, 20, true},
	{"Dog coat", 2000, 4500, 15, true},
	{"Merino base layer", 4500, 8500, 45, false},
	{"Fleece", 3500, 9000, 50, false},
	{"Walking trousers", 4500, 8500, 40, false},
	{"Waterproof trousers", 4500, 12000, 30, false},
	{"Waterproof jacket", 9000, 22000, 45, false},
	{"Softshell jacket", 8000, 17000, 25, false},
	{"Trail shoes", 8500, 15000, 30, false},
	{"Wellington boots", 3500, 9000, 25, false},
	{"Rucksack 30L", 5500, 12000, 20, false},
	{"Walking poles (pair)", 4000, 11000, 15, false},
	{"Gaiters", 2500, 5500, 15, false},
	{"Kids' waterproof suit", 2500, 5000, 20, false},
	{"Deck shoes", 6500, 11000, 12, false},
	{"Repair: zip replacement", 1500, 3500, 12, false},
	{"Gift card", 2500, 10000, 15, false},
	{"Leather walking boots", 14000, 26000, 18, false},
	{"Sailing smock", 12000, 26000, 8, false},
	{"Rucksack 45L", 9000, 18000, 10, false},
	{"Down sleeping bag", 19000, 42000, 6, false},
	{"Gore-Tex mountain jacket", 22000, 48000, 6, false},
	{"Two-person tent", 18000, 65000, 5, false},
	{"Four-season tent", 45000, 90000, 2, false},
}

var demoOccasions = []struct {
	label  string
	yearly bool
}{
	{"Wedding anniversary", true},
	{"Daughter's birthday", true},
	{"Son's birthday", true},
	{"Grandson's birthday", true},
	{"Granddaughter's birthday", true},
	{"Dog's birthday", true},
	{"Moved house", false},
	{"Retirement", false},
	{"Back from the Camino", false},
}

var demoPromiseWhat = []string{
	"Order the boots in size %d",
	"Call when the new Páramo jackets arrive",
	"Re-proof the jacket",
	"Fix the rucksack strap",
	"Hold the tent until Saturday",
	"Order the blue fleece in XL",
	"Send the warranty form for the tent poles",
	"Find a replacement buckle for the gaiters",
	"Order kids' wellies in size %d",
	"Check stock of the 45L rucksack at the other branch",
	"Post the map they left behind",
	"Ring about the sleeping bag clean",
}

var demoComplaints = []struct{ what, resolution string }{
	{"Zip on the jacket failed after two weeks", "Replaced the zip free of charge"},
	{"Boots leaked on the first long walk", "Exchanged for a new pair under warranty"},
	{"Charged twice at the till", "Refunded the second charge and apologised"},
	{"Special order arrived a week late", "Apologised and added 50 points"},
	{"Felt rushed by staff on a busy Saturday", "Owner called to apologise; invited in for a fitting"},
	{"Wrong size put in the bag", "Swapped for the right size and delivered it"},
	{"Seam on the tent came apart", "Sent to the maker for repair; loan tent given"},
	{"Gift card balance was wrong", "Corrected the balance"},
	{"Reproofing left marks on the jacket", "Cleaned again and refunded the reproofing"},
	{"Nobody called back about an order", "Called, apologised and set the order up again"},
}

var demoSkipReasons = []string{
	"No answer twice",
	"Was in again the next day",
	"Busy day at the counter",
	"Spoke at the till instead",
	"Customer asked not to be called this week",
}

var demoLapsedReasons = []string{
	"Moved away",
	"Shops online now",
	"Only comes in before Christmas",
	"Not interested any more",
	"Will come back in the spring",
}

var demoContactLines = []struct {
	channel  rules.Channel
	outcomes []string
	notes    []string
}{
	{rules.ChannelPhone, []string{"spoke", "left voicemail", "no answer"}, []string{
		"Rang to say the boots are in", "Asked about sizes in the new fleece", "Called back about the jacket repair",
		"Told them about the winter sale", "Checked they got home safely with the tent"}},
	{rules.ChannelSMS, []string{"sent", "replied"}, []string{
		"Texted: order ready to collect", "Texted about late opening on Thursday", "Texted a photo of the new colours"}},
	{rules.ChannelEmail, []string{"sent", "replied"}, []string{
		"Emailed care instructions for the down jacket", "Sent the returns form", "Emailed the repair quote"}},
	{rules.ChannelInPerson, []string{"chatted in shop", "tried things on"}, []string{
		"Popped in to show photos from the Pennine Way", "Came in to try on boots, will think about it",
		"Dropped off a jacket for reproofing", "Asked us to look out for kids' wellies in size 12"}},
	{rules.ChannelCard, []string{"sent card"}, []string{"Christmas card", "Thank-you card after the big tent order",
		"Get well soon card"}},
}
