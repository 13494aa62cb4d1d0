"""The demo's countries: each with its ISO code (a centre's number begins with it), a few
towns, and the names its schools and people have, so that what a screen shows hangs
together (a centre in Egypt is EG…, a school in Cairo, run by an Ahmed Hassan)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)  # told apart by identity: a quick dict key
class Names:
    """How people and schools are named in one part of the world."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    schools: tuple[str, ...]  # "{place} Grammar School"


@dataclass(frozen=True, eq=False)  # told apart by identity: a quick dict key
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str
    names: Names
    places: tuple[str, ...]
    weight: int = 1  # how many centres, next to the others


# -- names, by where they are used --------------------------------------------------

BRITISH = Names(
    ("Oliver", "Amelia", "Harry", "Isla", "George", "Olivia", "Jack", "Emily", "Thomas",
     "Sophie", "James", "Grace"),
    ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Roberts", "Walker", "Wright",
     "Hughes", "Clarke", "Turner"),
    ("{place} Grammar School", "{place} Academy", "{place} High School", "{place} College",
     "{place} School"),
)  # fmt: skip
AMERICAN = Names(
    ("Emma", "Liam", "Ava", "Noah", "Mia", "Ethan", "Madison", "Mason", "Chloe", "Logan"),
    ("Johnson", "Williams", "Miller", "Davis", "Anderson", "Moore", "Jackson", "Harris",
     "Martin", "Clark"),
    ("{place} High School", "{place} Preparatory School", "{place} Academy",
     "{place} International School"),
)  # fmt: skip
CANADIAN = Names(
    AMERICAN.first,
    ("Tremblay", "Roy", "MacDonald", "Campbell", "Wilson", "Martin", "Stewart", "Leblanc",
     "Fraser", "Thompson"),
    ("{place} Secondary School", "{place} Collegiate", "{place} Academy"),
)  # fmt: skip
AUSTRALIAN = Names(
    ("Charlotte", "Lachlan", "Ruby", "Cooper", "Matilda", "Riley", "Zoe", "Hamish", "Isla",
     "Jack"),
    ("Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Kelly", "Ryan", "Walsh",
     "Campbell"),
    ("{place} Grammar School", "{place} College", "{place} High School"),
)  # fmt: skip
IRISH = Names(
    ("Aoife", "Seán", "Niamh", "Conor", "Siobhán", "Cian", "Róisín", "Darragh", "Ciara",
     "Eoin"),
    ("Murphy", "Kelly", "O'Brien", "Byrne", "Ryan", "Walsh", "O'Sullivan", "McCarthy",
     "Doyle", "Gallagher"),
    ("{place} Community School", "{place} College", "{place} Grammar School"),
)  # fmt: skip
SPANISH = Names(
    ("Lucía", "Javier", "Sofía", "Mateo", "Carmen", "Diego", "Paula", "Pablo", "Elena",
     "Álvaro", "Marta", "Sergio"),
    ("García", "Martínez", "López", "Sánchez", "Fernández", "Gómez", "Díaz", "Ruiz", "Moreno",
     "Navarro", "Romero", "Serrano"),
    ("Colegio {place}", "Colegio Británico de {place}", "{place} International School",
     "Instituto {place}"),
)  # fmt: skip
LATIN_AMERICAN = Names(
    ("Valentina", "Santiago", "Camila", "Sebastián", "Isabella", "Matías", "Daniela",
     "Nicolás", "Gabriela", "Alejandro", "Fernanda", "Joaquín"),
    ("González", "Rodríguez", "Pérez", "Ramírez", "Torres", "Flores", "Rojas", "Vargas",
     "Castillo", "Herrera", "Mendoza", "Silva"),
    ("Colegio {place}", "Instituto {place}", "Colegio Bilingüe {place}",
     "{place} International School"),
)  # fmt: skip
PORTUGUESE = Names(
    ("João", "Ana", "Pedro", "Beatriz", "Tiago", "Inês", "Miguel", "Mariana", "Rui",
     "Catarina"),
    ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
     "Sousa", "Fernandes"),
    ("Colégio {place}", "Escola Internacional de {place}", "{place} International School"),
)  # fmt: skip
BRAZILIAN = Names(
    ("Lucas", "Camila", "Gabriel", "Larissa", "Rafael", "Juliana", "Matheus", "Beatriz",
     "Gustavo", "Letícia"),
    ("Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Carvalho", "Almeida",
     "Ribeiro", "Gomes"),
    ("Colégio {place}", "Escola Bilíngue {place}", "{place} International School"),
)  # fmt: skip
FRENCH = Names(
    ("Camille", "Louis", "Chloé", "Hugo", "Manon", "Théo", "Léa", "Julien", "Inès", "Antoine",
     "Élodie", "Mathis"),
    ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Girard", "Roux",
     "Fournier", "Mercier", "Lambert", "Bonnet"),
    ("Lycée International de {place}", "École Internationale de {place}",
     "Collège International de {place}"),
)  # fmt: skip
GERMAN = Names(
    ("Lukas", "Anna", "Felix", "Lena", "Jonas", "Sophie", "Leon", "Marie", "Paul", "Hannah"),
    ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
     "Schulz", "Koch"),
    ("Gymnasium {place}", "{place} International School", "Internationale Schule {place}"),
)  # fmt: skip
DUTCH = Names(
    ("Daan", "Emma", "Sem", "Julia", "Lars", "Sanne", "Bram", "Lotte", "Thijs", "Fleur"),
    ("de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer",
     "de Boer", "Mulder"),
    ("{place} International School", "Internationale School {place}", "{place} Lyceum"),
)  # fmt: skip
ITALIAN = Names(
    ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo",
     "Elena", "Davide"),
    ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
     "Marino", "Greco"),
    ("Liceo {place}", "{place} International School", "Istituto {place}"),
)  # fmt: skip
GREEK = Names(  # surnames in -ou: the same for women and men
    ("Giorgos", "Maria", "Nikos", "Eleni", "Dimitris", "Katerina", "Kostas", "Sofia",
     "Yannis", "Anna"),
    ("Georgiou", "Nikolaou", "Christodoulou", "Ioannou", "Konstantinou", "Antoniou",
     "Demetriou", "Panayiotou", "Kyriakou", "Andreou"),
    ("{place} College", "{place} Grammar School", "{place} International School"),
)  # fmt: skip
POLISH = Names(  # surnames without a feminine form
    ("Jakub", "Zuzanna", "Kacper", "Maja", "Piotr", "Anna", "Tomasz", "Katarzyna", "Michał",
     "Agnieszka"),
    ("Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Zając", "Król", "Wieczorek",
     "Wróbel", "Dudek"),
    ("{place} International School", "{place} British School", "{place} American School"),
)  # fmt: skip
UKRAINIAN = Names(
    ("Olena", "Andriy", "Iryna", "Dmytro", "Oksana", "Taras", "Nataliya", "Oleksandr",
     "Yulia", "Serhiy"),
    ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko",
     "Moroz", "Savchenko", "Lysenko"),
    ("{place} International School", "{place} Lyceum", "{place} British School"),
)  # fmt: skip
ROMANIAN = Names(
    ("Andrei", "Ioana", "Mihai", "Elena", "Alexandru", "Maria", "Ștefan", "Ana", "Cristian",
     "Diana"),
    ("Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Constantin", "Stoica", "Gheorghe",
     "Rusu", "Munteanu"),
    ("{place} International School", "{place} British School", "Liceul {place}"),
)  # fmt: skip
HUNGARIAN = Names(
    ("Bence", "Anna", "Dániel", "Eszter", "Máté", "Réka", "Levente", "Zsófia", "Gergő",
     "Katalin"),
    ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh",
     "Farkas"),
    ("{place} International School", "{place} British School", "{place} Gimnázium"),
)  # fmt: skip
SWEDISH = Names(
    ("Erik", "Elsa", "Lucas", "Maja", "Oscar", "Alva", "Hugo", "Wilma", "William", "Ebba"),
    ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
     "Persson", "Svensson", "Gustafsson"),
    ("{place} International School", "Engelska Skolan {place}", "{place} Gymnasium"),
)  # fmt: skip
DANISH = Names(
    ("Mads", "Freja", "Emil", "Ida", "Magnus", "Sofie", "Frederik", "Anna", "Oliver",
     "Clara"),
    ("Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Larsen", "Sørensen",
     "Rasmussen", "Christensen", "Poulsen"),
    ("{place} International School", "{place} Gymnasium", "{place} Private School"),
)  # fmt: skip
NORWEGIAN = Names(
    ("Jakob", "Nora", "Filip", "Ingrid", "Henrik", "Emma", "Sander", "Thea", "Magnus",
     "Sara"),
    ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
     "Kristiansen", "Berg", "Haugen"),
    ("{place} International School", "{place} Katedralskole", "{place} Gymnas"),
)  # fmt: skip
FINNISH = Names(
    ("Onni", "Aino", "Eero", "Helmi", "Leevi", "Venla", "Mikko", "Sanna", "Juho", "Laura"),
    ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
     "Heikkinen", "Koskinen", "Järvinen"),
    ("{place} International School", "{place} English School", "{place} Upper Secondary"),
)  # fmt: skip
MALTESE = Names(
    ("Luke", "Maria", "Matthew", "Martina", "Jean", "Nicole", "Kurt", "Christine", "Andrew",
     "Rebecca"),
    ("Borg", "Camilleri", "Vella", "Farrugia", "Zammit", "Galea", "Micallef", "Grech",
     "Attard", "Spiteri"),
    ("{place} College", "{place} Secondary School", "{place} International School"),
)  # fmt: skip
ESTONIAN = Names(
    ("Mari", "Rasmus", "Liis", "Markus", "Kadri", "Karl", "Triin", "Martin", "Kertu",
     "Andres"),
    ("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel"),
    ("{place} English College", "{place} International School", "{place} Gümnaasium"),
)  # fmt: skip
TURKISH = Names(
    ("Elif", "Mehmet", "Zeynep", "Mustafa", "Ayşe", "Emre", "Defne", "Can", "Ece", "Burak"),
    ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan", "Doğan",
     "Koç"),
    ("{place} Koleji", "Özel {place} Lisesi", "{place} International School"),
)  # fmt: skip
GULF = Names(
    ("Khalid", "Fatima", "Mohammed", "Mariam", "Abdullah", "Noura", "Faisal", "Huda",
     "Saeed", "Layla", "Omar", "Reem"),
    ("Al-Mansoori", "Al-Harthy", "Al-Qahtani", "Al-Hashimi", "Al-Amri", "Al-Zahrani",
     "Al-Otaibi", "Al-Balushi", "Nasser", "Saleh"),
    ("{place} British School", "{place} International School", "{place} Academy",
     "{place} English School"),
)  # fmt: skip
LEVANTINE = Names(
    ("Rami", "Lina", "Karim", "Maya", "Fadi", "Nadine", "Ziad", "Rania", "Omar", "Dina"),
    ("Haddad", "Khoury", "Nassar", "Saab", "Aoun", "Karam", "Hajjar", "Mansour", "Khalil",
     "Azar"),
    ("{place} International College", "{place} National School",
     "{place} International School"),
)  # fmt: skip
EGYPTIAN = Names(
    ("Ahmed", "Mona", "Omar", "Nour", "Youssef", "Salma", "Karim", "Yasmin", "Mahmoud",
     "Heba", "Tarek", "Dina"),
    ("Hassan", "Mostafa", "El-Sayed", "Farouk", "Abdel-Rahman", "Mansour", "Fahmy",
     "Ibrahim", "Soliman", "Hamdy", "Naguib", "Zaki"),
    ("{place} Language School", "{place} International School", "{place} British School",
     "{place} Modern School"),
)  # fmt: skip
MAGHREBI = Names(
    ("Youssef", "Salma", "Mehdi", "Imane", "Karim", "Nadia", "Amine", "Sofia", "Hamza",
     "Leila"),
    ("Benali", "El Idrissi", "Bennani", "Alaoui", "Tazi", "Mansouri", "Cherif", "Trabelsi",
     "Ben Salah", "Haddad"),
    ("{place} International School", "{place} British School", "Groupe Scolaire {place}"),
)  # fmt: skip
NIGERIAN = Names(
    ("Chinedu", "Ngozi", "Tunde", "Funmilayo", "Emeka", "Aisha", "Oluwaseun", "Amaka",
     "Ibrahim", "Yetunde", "Chidi", "Bola"),
    ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Bello", "Ogunleye", "Nwosu",
     "Abubakar", "Adebayo", "Obi", "Olawale"),
    ("{place} Grammar School", "{place} International School", "{place} College",
     "{place} Academy"),
)  # fmt: skip
GHANAIAN = Names(
    ("Kwame", "Ama", "Kofi", "Akosua", "Yaw", "Efua", "Kwabena", "Abena", "Kojo", "Esi"),
    ("Mensah", "Asante", "Owusu", "Boateng", "Appiah", "Osei", "Darko", "Agyeman", "Addo",
     "Quaye"),
    ("{place} International School", "{place} Academy", "{place} Senior High School"),
)  # fmt: skip
SIERRA_LEONEAN = Names(
    ("Fatmata", "Mohamed", "Isatu", "Abdul", "Aminata", "Alusine", "Mariama", "Sorie"),
    ("Kamara", "Koroma", "Sesay", "Conteh", "Bangura", "Kanu", "Turay", "Jalloh"),
    ("{place} Secondary School", "{place} Grammar School", "{place} International School"),
)  # fmt: skip
GAMBIAN = Names(
    ("Lamin", "Fatou", "Ebrima", "Isatou", "Modou", "Mariama", "Ousman", "Awa"),
    ("Jallow", "Ceesay", "Sowe", "Touray", "Bah", "Jobe", "Njie", "Sanneh"),
    ("{place} High School", "{place} Senior Secondary School", "{place} International School"),
)  # fmt: skip
SENEGALESE = Names(
    ("Moussa", "Aminata", "Ibrahima", "Fatou", "Mamadou", "Awa", "Cheikh", "Khady"),
    ("Diop", "Ndiaye", "Fall", "Sow", "Diallo", "Faye", "Sarr", "Gueye"),
    ("École Internationale de {place}", "{place} International School",
     "Groupe Scolaire {place}"),
)  # fmt: skip
IVORIAN = Names(
    ("Aya", "Yao", "Adjoua", "Koffi", "Mariam", "Serge", "Affoué", "Didier"),
    ("Kouassi", "Koné", "Kouamé", "Traoré", "Bamba", "N'Guessan", "Konan", "Coulibaly"),
    ("Groupe Scolaire {place}", "{place} International School", "{place} Bilingual School"),
)  # fmt: skip
CAMEROONIAN = Names(
    ("Emmanuel", "Brenda", "Franck", "Carine", "Joseph", "Mireille", "Patrick", "Solange"),
    ("Mbarga", "Fouda", "Nkoulou", "Ngono", "Essomba", "Fon", "Tabi", "Atangana"),
    ("{place} Bilingual Grammar School", "Lycée Bilingue de {place}", "{place} High School"),
)  # fmt: skip
KENYAN = Names(
    ("Wanjiru", "Brian", "Achieng", "David", "Njeri", "Kevin", "Akinyi", "Faith", "Peter",
     "Mercy"),
    ("Otieno", "Kamau", "Mwangi", "Njoroge", "Odhiambo", "Kariuki", "Wafula", "Chebet",
     "Kiprono", "Ochieng"),
    ("{place} Academy", "{place} International School", "{place} High School"),
)  # fmt: skip
UGANDAN = Names(
    ("Joseph", "Sarah", "Brian", "Esther", "Ivan", "Patience", "Moses", "Grace"),
    ("Okello", "Mugisha", "Ssemakula", "Tumusiime", "Kato", "Musoke", "Byaruhanga", "Ocen"),
    ("{place} College", "{place} High School", "{place} International School"),
)  # fmt: skip
TANZANIAN = Names(
    ("Baraka", "Neema", "Juma", "Rehema", "Emmanuel", "Upendo", "Hassan", "Zawadi"),
    ("Mushi", "Massawe", "Mollel", "Kimaro", "Mwakyusa", "Shirima", "Swai", "Lyimo"),
    ("{place} International School", "{place} Secondary School", "{place} Academy"),
)  # fmt: skip
RWANDAN = Names(
    ("Jean Claude", "Aline", "Eric", "Divine", "Patrick", "Claudine", "Olivier", "Grace"),
    ("Uwimana", "Habimana", "Mugisha", "Niyonzima", "Nshimiyimana", "Ingabire", "Hakizimana",
     "Mutabazi"),
    ("{place} International School", "Lycée de {place}", "{place} Academy"),
)  # fmt: skip
ETHIOPIAN = Names(
    ("Abebe", "Tigist", "Dawit", "Selam", "Yonas", "Hiwot", "Samuel", "Meron"),
    ("Tesfaye", "Bekele", "Haile", "Girma", "Alemu", "Tadesse", "Mekonnen", "Kebede"),
    ("{place} International School", "{place} Academy", "{place} Preparatory School"),
)  # fmt: skip
SOUTH_AFRICAN = Names(
    ("Thabo", "Lerato", "Sipho", "Naledi", "Johan", "Anika", "Liam", "Zanele", "Kagiso",
     "Nomvula"),
    ("Dlamini", "Nkosi", "Mokoena", "Khumalo", "van der Merwe", "Botha", "Naidoo",
     "Mahlangu", "Pillay", "Smith"),
    ("{place} High School", "{place} College", "{place} Preparatory School",
     "{place} Girls' High School"),
)  # fmt: skip
ZIMBABWEAN = Names(
    ("Tendai", "Chipo", "Tatenda", "Rudo", "Farai", "Nyasha", "Tinashe", "Rumbidzai"),
    ("Moyo", "Ndlovu", "Sibanda", "Dube", "Ncube", "Chikwanha", "Mutasa", "Chiweshe"),
    ("{place} High School", "{place} College", "{place} Christian College"),
)  # fmt: skip
ZAMBIAN = Names(  # and Malawian: the same surnames are common in both
    ("Mwila", "Chanda", "Bwalya", "Mutinta", "Mulenga", "Natasha", "Kondwani", "Thandiwe"),
    ("Banda", "Phiri", "Mwale", "Zulu", "Tembo", "Mumba", "Lungu", "Daka"),
    ("{place} International School", "{place} Secondary School", "{place} Academy"),
)  # fmt: skip
SOTHO_TSWANA = Names(
    ("Kagiso", "Lesego", "Mpho", "Lerato", "Thabo", "Palesa", "Tumelo", "Neo"),
    ("Molefe", "Mokoena", "Kgosi", "Tau", "Modise", "Mofokeng", "Molapo", "Sebele"),
    ("{place} Secondary School", "{place} International School", "{place} High School"),
)  # fmt: skip
SWAZI = Names(
    ("Sibusiso", "Nomsa", "Mandla", "Thandeka", "Sipho", "Lindiwe"),
    ("Dlamini", "Simelane", "Mamba", "Shongwe", "Nxumalo", "Magagula"),
    ("{place} High School", "{place} International School", "{place} Central High School"),
)  # fmt: skip
NAMIBIAN = Names(
    ("Ndapewa", "Tangeni", "Johannes", "Selma", "Frans", "Hilma", "Petrus", "Maria"),
    ("Nangolo", "Shikongo", "Amukoto", "Iipumbu", "Haufiku", "Shilongo", "van Wyk",
     "Nghipondoka"),
    ("{place} High School", "{place} Private School", "{place} International School"),
)  # fmt: skip
MAURITIAN = Names(
    ("Priya", "Kevin", "Anjali", "Jean-Marc", "Nadia", "Yash", "Sophie", "Rohit"),
    ("Ramdin", "Boodhoo", "Lagesse", "Seegoolam", "Appadoo", "Chung", "Ramsamy", "Dookun"),
    ("{place} College", "{place} State College", "Collège {place}"),
)  # fmt: skip
INDIAN = Names(
    ("Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Neha", "Rahul",
     "Divya", "Aditi", "Karan"),
    ("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Mehta", "Rao", "Das", "Joshi",
     "Menon", "Kapoor"),
    ("{place} Public School", "{place} International School", "{place} World School",
     "{place} Global Academy"),
)  # fmt: skip
PAKISTANI = Names(
    ("Ahmed", "Ayesha", "Bilal", "Fatima", "Hamza", "Zainab", "Usman", "Sana", "Imran",
     "Hira", "Ali", "Maryam"),
    ("Khan", "Malik", "Qureshi", "Butt", "Chaudhry", "Siddiqui", "Sheikh", "Raza", "Hussain",
     "Mirza", "Abbasi", "Javed"),
    ("{place} Grammar School", "{place} Public School", "{place} College",
     "{place} Academy"),
)  # fmt: skip
BANGLADESHI = Names(
    ("Rahim", "Nusrat", "Tanvir", "Farhana", "Arif", "Sadia", "Imtiaz", "Tasnim", "Rafiq",
     "Sharmin"),
    ("Rahman", "Hossain", "Islam", "Ahmed", "Chowdhury", "Akter", "Karim", "Uddin", "Haque",
     "Sarker"),
    ("{place} International School", "{place} Grammar School", "{place} Model College"),
)  # fmt: skip
SRI_LANKAN = Names(
    ("Kasun", "Nimali", "Tharindu", "Dilini", "Chamara", "Sanduni", "Ruwan", "Ishara",
     "Nuwan", "Hasini"),
    ("Perera", "Fernando", "Silva", "Jayasinghe", "Wickramasinghe", "Bandara",
     "Dissanayake", "Gunawardena", "Herath", "Senanayake"),
    ("{place} International School", "{place} College", "{place} Vidyalaya"),
)  # fmt: skip
NEPALI = Names(
    ("Aashish", "Sita", "Bikash", "Pooja", "Suman", "Anjali", "Prakash", "Sarita"),
    ("Shrestha", "Gurung", "Thapa", "Adhikari", "Rai", "Tamang", "Karki", "Poudel"),
    ("{place} Secondary School", "{place} International College", "{place} Academy"),
)  # fmt: skip
MALDIVIAN = Names(
    ("Ahmed", "Aishath", "Mohamed", "Fathimath", "Ibrahim", "Mariyam", "Hassan", "Aminath"),
    ("Rasheed", "Naseer", "Shareef", "Hussain", "Waheed", "Saeed", "Manik", "Didi"),
    ("{place} School", "{place} International School"),
)  # fmt: skip
CHINESE = Names(
    ("Wei", "Mei", "Jun", "Xin", "Hao", "Yan", "Jie", "Ming", "Ying", "Lei", "Tao", "Na"),
    ("Wang", "Li", "Zhang", "Chen", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
     "Sun"),
    ("{place} International School", "{place} Foreign Language School",
     "{place} Experimental School", "{place} Bilingual School"),
)  # fmt: skip
TAIWANESE = Names(
    ("Yu-ting", "Chia-hao", "Hsin-yi", "Chih-ming", "Ya-ting", "Cheng-en", "Pei-shan",
     "Wei-lun"),
    ("Chen", "Lin", "Huang", "Chang", "Lee", "Wang", "Wu", "Liu", "Tsai", "Yang"),
    ("{place} International School", "{place} Bilingual School", "{place} Senior High School"),
)  # fmt: skip
CANTONESE = Names(
    ("Ka Yan", "Chun Kit", "Wing Sze", "Ho Yin", "Hoi Ching", "Tsz Hin", "Kelvin", "Ivy",
     "Cheuk Lam", "Wai Man"),
    ("Chan", "Wong", "Cheung", "Lau", "Leung", "Ho", "Lam", "Ng", "Tsang", "Yip"),
    ("{place} International School", "{place} College", "{place} Secondary School"),
)  # fmt: skip
SINGAPOREAN = Names(
    ("Jia Hui", "Wei Ming", "Shu Fen", "Jun Jie", "Hui Min", "Zhi Hao", "Xin Yi", "Kai Wen",
     "Ryan", "Rachel"),
    ("Tan", "Lim", "Lee", "Ng", "Ong", "Goh", "Teo", "Koh", "Chua", "Wong"),
    ("{place} Secondary School", "{place} International School", "{place} Junior College"),
)  # fmt: skip
MALAY = Names(
    ("Ahmad", "Nurul", "Siti", "Farid", "Aisyah", "Hafiz", "Amir", "Zarina", "Faizal",
     "Liyana"),
    ("Ismail", "Hassan", "Abdullah", "Rahman", "Yusof", "Ibrahim", "Osman", "Hamid",
     "Razak", "Salleh"),
    ("{place} International School", "Kolej {place}", "Sekolah Menengah {place}"),
)  # fmt: skip
INDONESIAN = Names(
    ("Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Ayu", "Fajar", "Intan"),
    ("Santoso", "Wijaya", "Pratama", "Kusuma", "Saputra", "Hidayat", "Setiawan", "Gunawan",
     "Nugroho", "Halim"),
    ("{place} International School", "SMA Negeri 1 {place}", "{place} Global School"),
)  # fmt: skip
JAPANESE = Names(
    ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Riku", "Mio"),
    ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
     "Kobayashi", "Kato"),
    ("{place} International School", "{place} Gakuen", "{place} Senior High School"),
)  # fmt: skip
KOREAN = Names(
    ("Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Seo-jun", "Su-bin",
     "Ye-jun", "Ji-min"),
    ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"),
    ("{place} International School", "{place} Foreign Language High", "{place} Global Academy"),
)  # fmt: skip
THAI = Names(
    ("Somchai", "Siriporn", "Anan", "Kanya", "Niran", "Pimchanok", "Thanawat", "Natcha",
     "Krit", "Ploy"),
    ("Srisuk", "Chaiyaporn", "Wongsa", "Thongchai", "Rattanakul", "Saelim", "Boonmee",
     "Charoenkul", "Suksawat", "Kaewkla"),
    ("{place} International School", "{place} Bilingual School", "{place} Wittaya School"),
)  # fmt: skip
VIETNAMESE = Names(
    ("Minh", "Lan", "Huy", "Thu", "Tuan", "Linh", "Duc", "Trang", "Quang", "Mai"),
    ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui", "Do", "Ngo"),
    ("{place} International School", "{place} Gifted High School", "{place} Bilingual School"),
)  # fmt: skip
FILIPINO = Names(
    ("Juan", "Maria", "Jose", "Angelica", "Mark", "Kristine", "Miguel", "Patricia", "Paolo",
     "Bea"),
    ("Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Dela Cruz", "Villanueva",
     "Ramos", "Aquino"),
    ("{place} Science High School", "{place} International School", "{place} Academy",
     "{place} Christian School"),
)  # fmt: skip
BURMESE = Names(  # no family names: a given name, then more of it
    ("Aung", "Thandar", "Kyaw", "Su", "Zaw", "Hnin", "Min", "Ei"),
    ("Min Htet", "Win", "Htet Aung", "Myat", "Oo", "Aye", "Naing", "Thu"),
    ("{place} International School", "{place} International Academy"),
)  # fmt: skip
KHMER = Names(
    ("Sok", "Chanthy", "Dara", "Sreymom", "Vibol", "Sophea", "Rithy", "Bopha"),
    ("Chea", "Heng", "Lim", "Kim", "Chhay", "Phan", "Keo", "Sam"),
    ("{place} International School", "{place} Academy"),
)  # fmt: skip
CARIBBEAN = Names(
    ("Shanice", "Andre", "Kimberly", "Marlon", "Tamika", "Jermaine", "Keisha", "Dwayne",
     "Alicia", "Ricardo"),
    ("Campbell", "Brown", "Williams", "Thompson", "Grant", "Clarke", "Reid", "Francis",
     "Morgan", "Gordon"),
    ("{place} High School", "{place} College", "{place} Secondary School", "{place} Academy"),
)  # fmt: skip
TRINIDADIAN = Names(  # and Guyanese
    ("Kevin", "Anjali", "Marcus", "Shivani", "Jason", "Kerry-Ann", "Ravi", "Alana"),
    ("Maharaj", "Ramdass", "Baptiste", "Joseph", "Charles", "Mohammed", "Ramsaran",
     "Phillip"),
    ("{place} College", "{place} Secondary School", "{place} High School"),
)  # fmt: skip

# -- the countries, with how many centres each has, next to the others -----------------

COUNTRIES: tuple[Country, ...] = (
    Country("GB", "United Kingdom", BRITISH,
            ("Ashford", "Bangor", "Ely", "Hull", "Oxford", "Rye", "Leeds", "York", "Bath",
             "Norwich", "Exeter", "Durham", "Chester", "Truro", "Harrogate", "Guildford"), 12),
    Country("IE", "Ireland", IRISH,
            ("Dublin", "Cork", "Galway", "Limerick", "Waterford", "Kilkenny", "Sligo"), 2),
    Country("US", "United States", AMERICAN,
            ("Boston", "Chicago", "Houston", "Miami", "Denver", "Seattle", "Atlanta",
             "Phoenix", "Austin", "San Diego"), 6),
    Country("CA", "Canada", CANADIAN,
            ("Toronto", "Vancouver", "Calgary", "Ottawa", "Edmonton", "Halifax", "Winnipeg"),
            3),
    Country("AU", "Australia", AUSTRALIAN,
            ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Canberra", "Hobart"), 3),
    Country("NZ", "New Zealand", AUSTRALIAN,
            ("Auckland", "Wellington", "Christchurch", "Hamilton", "Dunedin", "Tauranga"), 2),
    Country("ES", "Spain", SPANISH,
            ("Madrid", "Barcelona", "Valencia", "Sevilla", "Málaga", "Bilbao", "Zaragoza",
             "Alicante", "Murcia", "Granada"), 6),
    Country("MX", "Mexico", LATIN_AMERICAN,
            ("Guadalajara", "Monterrey", "Puebla", "Querétaro", "Mérida", "Cancún"), 3),
    Country("AR", "Argentina", LATIN_AMERICAN,
            ("Buenos Aires", "Córdoba", "Rosario", "Mendoza", "La Plata", "Salta"), 5),
    Country("CO", "Colombia", LATIN_AMERICAN,
            ("Bogotá", "Medellín", "Cali", "Barranquilla", "Bucaramanga"), 3),
    Country("CL", "Chile", LATIN_AMERICAN,
            ("Santiago", "Viña del Mar", "Concepción", "Valparaíso"), 2),
    Country("PE", "Peru", LATIN_AMERICAN, ("Lima", "Arequipa", "Trujillo", "Cusco"), 2),
    Country("EC", "Ecuador", LATIN_AMERICAN, ("Quito", "Guayaquil", "Cuenca"), 2),
    Country("UY", "Uruguay", LATIN_AMERICAN, ("Montevideo", "Punta del Este", "Salto")),
    Country("PY", "Paraguay", LATIN_AMERICAN, ("Asunción", "Encarnación", "Luque")),
    Country("BO", "Bolivia", LATIN_AMERICAN, ("La Paz", "Santa Cruz", "Cochabamba")),
    Country("VE", "Venezuela", LATIN_AMERICAN, ("Caracas", "Maracaibo", "Mérida")),
    Country("CR", "Costa Rica", LATIN_AMERICAN, ("San José", "Heredia", "Escazú")),
    Country("PA", "Panama", LATIN_AMERICAN, ("Panamá", "Colón", "David")),
    Country("GT", "Guatemala", LATIN_AMERICAN, ("Guatemala", "Antigua", "Xela")),
    Country("DO", "Dominican Republic", LATIN_AMERICAN,
            ("Santo Domingo", "Santiago", "Punta Cana")),
    Country("SV", "El Salvador", LATIN_AMERICAN, ("San Salvador", "Santa Ana")),
    Country("HN", "Honduras", LATIN_AMERICAN, ("Tegucigalpa", "San Pedro Sula")),
    Country("NI", "Nicaragua", LATIN_AMERICAN, ("Managua", "León", "Granada")),
    Country("PR", "Puerto Rico", LATIN_AMERICAN, ("San Juan", "Ponce", "Mayagüez")),
    Country("PT", "Portugal", PORTUGUESE,
            ("Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Cascais"), 2),
    Country("BR", "Brazil", BRAZILIAN,
            ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Porto Alegre",
             "Brasília", "Recife", "Salvador", "Campinas"), 4),
    Country("FR", "France", FRENCH,
            ("Paris", "Lyon", "Toulouse", "Nice", "Bordeaux", "Nantes", "Strasbourg",
             "Lille"), 3),
    Country("BE", "Belgium", FRENCH, ("Bruxelles", "Liège", "Namur", "Waterloo"), 2),
    Country("LU", "Luxembourg", FRENCH, ("Luxembourg", "Dudelange")),
    Country("MC", "Monaco", FRENCH, ("Monaco", "Monte-Carlo")),
    Country("DE", "Germany", GERMAN,
            ("Berlin", "München", "Hamburg", "Frankfurt", "Köln", "Düsseldorf", "Stuttgart",
             "Leipzig"), 3),
    Country("AT", "Austria", GERMAN, ("Wien", "Graz", "Salzburg", "Innsbruck", "Linz")),
    Country("CH", "Switzerland", GERMAN, ("Zürich", "Basel", "Bern", "Zug", "Luzern"), 2),
    Country("NL", "Netherlands", DUTCH,
            ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen"), 2),
    Country("IT", "Italy", ITALIAN,
            ("Roma", "Milano", "Torino", "Firenze", "Napoli", "Bologna", "Genova", "Verona"),
            3),
    Country("GR", "Greece", GREEK, ("Athens", "Thessaloniki", "Patras", "Heraklion"), 2),
    Country("CY", "Cyprus", GREEK, ("Nicosia", "Limassol", "Larnaca", "Paphos"), 2),
    Country("PL", "Poland", POLISH,
            ("Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań", "Łódź"), 2),
    Country("UA", "Ukraine", UKRAINIAN, ("Kyiv", "Lviv", "Odesa", "Kharkiv", "Dnipro")),
    Country("RO", "Romania", ROMANIAN,
            ("București", "Cluj-Napoca", "Iași", "Timișoara", "Brașov", "Constanța"), 2),
    Country("HU", "Hungary", HUNGARIAN, ("Budapest", "Debrecen", "Szeged", "Pécs", "Győr")),
    Country("SE", "Sweden", SWEDISH, ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Lund")),
    Country("DK", "Denmark", DANISH, ("København", "Aarhus", "Odense", "Aalborg")),
    Country("NO", "Norway", NORWEGIAN, ("Oslo", "Bergen", "Trondheim", "Stavanger")),
    Country("FI", "Finland", FINNISH, ("Helsinki", "Espoo", "Tampere", "Turku", "Oulu")),
    Country("MT", "Malta", MALTESE, ("Valletta", "Sliema", "Birkirkara", "Mosta")),
    Country("EE", "Estonia", ESTONIAN, ("Tallinn", "Tartu", "Pärnu", "Narva")),
    Country("TR", "Turkey", TURKISH,
            ("İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Adana"), 3),
    Country("AE", "United Arab Emirates", GULF,
            ("Dubai", "Abu Dhabi", "Sharjah", "Al Ain", "Ajman"), 5),
    Country("SA", "Saudi Arabia", GULF, ("Riyadh", "Jeddah", "Dammam", "Al Khobar"), 3),
    Country("QA", "Qatar", GULF, ("Doha", "Al Wakrah", "Al Khor"), 2),
    Country("KW", "Kuwait", GULF, ("Kuwait City", "Salmiya", "Hawalli", "Jahra"), 2),
    Country("BH", "Bahrain", GULF, ("Manama", "Riffa", "Muharraq", "Isa Town")),
    Country("OM", "Oman", GULF, ("Muscat", "Sohar", "Salalah", "Nizwa"), 2),
    Country("IQ", "Iraq", GULF, ("Erbil", "Baghdad", "Sulaymaniyah", "Basra")),
    Country("JO", "Jordan", LEVANTINE, ("Amman", "Irbid", "Zarqa", "Aqaba"), 2),
    Country("LB", "Lebanon", LEVANTINE, ("Beirut", "Jounieh", "Byblos", "Sidon"), 2),
    Country("EG", "Egypt", EGYPTIAN,
            ("Cairo", "Alexandria", "Giza", "Mansoura", "Heliopolis", "Maadi", "New Cairo",
             "Tanta"), 6),
    Country("MA", "Morocco", MAGHREBI,
            ("Casablanca", "Rabat", "Marrakech", "Fès", "Tanger", "Agadir"), 2),
    Country("TN", "Tunisia", MAGHREBI, ("Tunis", "Sfax", "Sousse", "La Marsa")),
    Country("DZ", "Algeria", MAGHREBI, ("Alger", "Oran", "Constantine")),
    Country("NG", "Nigeria", NIGERIAN,
            ("Lagos", "Abuja", "Ibadan", "Port Harcourt", "Kano", "Enugu", "Benin City",
             "Abeokuta", "Kaduna", "Jos"), 5),
    Country("GH", "Ghana", GHANAIAN,
            ("Accra", "Kumasi", "Tema", "Takoradi", "Cape Coast", "Tamale"), 3),
    Country("SL", "Sierra Leone", SIERRA_LEONEAN, ("Freetown", "Bo", "Kenema", "Makeni")),
    Country("GM", "Gambia", GAMBIAN, ("Banjul", "Serekunda", "Brikama", "Bakau")),
    Country("SN", "Senegal", SENEGALESE, ("Dakar", "Thiès", "Saint-Louis", "Ziguinchor")),
    Country("CI", "Côte d'Ivoire", IVORIAN, ("Abidjan", "Yamoussoukro", "Bouaké")),
    Country("CM", "Cameroon", CAMEROONIAN, ("Yaoundé", "Douala", "Buea", "Bamenda", "Limbe")),
    Country("KE", "Kenya", KENYAN,
            ("Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret", "Thika"), 4),
    Country("UG", "Uganda", UGANDAN, ("Kampala", "Entebbe", "Jinja", "Mbarara", "Gulu"), 2),
    Country("TZ", "Tanzania", TANZANIAN,
            ("Dar es Salaam", "Arusha", "Dodoma", "Mwanza", "Moshi", "Zanzibar"), 2),
    Country("RW", "Rwanda", RWANDAN, ("Kigali", "Huye", "Musanze", "Rubavu")),
    Country("ET", "Ethiopia", ETHIOPIAN, ("Addis Ababa", "Hawassa", "Bahir Dar", "Adama")),
    Country("ZA", "South Africa", SOUTH_AFRICAN,
            ("Johannesburg", "Cape Town", "Durban", "Pretoria", "Stellenbosch",
             "Bloemfontein"), 4),
    Country("ZW", "Zimbabwe", ZIMBABWEAN, ("Harare", "Bulawayo", "Mutare", "Gweru"), 2),
    Country("ZM", "Zambia", ZAMBIAN, ("Lusaka", "Ndola", "Kitwe", "Livingstone")),
    Country("MW", "Malawi", ZAMBIAN, ("Lilongwe", "Blantyre", "Zomba", "Mzuzu")),
    Country("BW", "Botswana", SOTHO_TSWANA, ("Gaborone", "Francistown", "Maun", "Lobatse")),
    Country("LS", "Lesotho", SOTHO_TSWANA, ("Maseru", "Teyateyaneng", "Mafeteng")),
    Country("SZ", "Eswatini", SWAZI, ("Mbabane", "Manzini", "Nhlangano")),
    Country("NA", "Namibia", NAMIBIAN, ("Windhoek", "Swakopmund", "Walvis Bay", "Oshakati")),
    Country("MU", "Mauritius", MAURITIAN,
            ("Port Louis", "Curepipe", "Quatre Bornes", "Rose Hill", "Vacoas")),
    Country("IN", "India", INDIAN,
            ("Delhi", "Mumbai", "Jaipur", "Pune", "Chennai", "Kolkata", "Bengaluru",
             "Hyderabad", "Ahmedabad", "Lucknow", "Kochi", "Panaji"), 10),
    Country("PK", "Pakistan", PAKISTANI,
            ("Lahore", "Karachi", "Islamabad", "Rawalpindi", "Quetta", "Multan", "Peshawar",
             "Faisalabad", "Sialkot"), 10),
    Country("BD", "Bangladesh", BANGLADESHI,
            ("Dhaka", "Chittagong", "Sylhet", "Khulna", "Rajshahi"), 3),
    Country("LK", "Sri Lanka", SRI_LANKAN, ("Colombo", "Kandy", "Galle", "Negombo", "Jaffna"),
            3),
    Country("NP", "Nepal", NEPALI, ("Kathmandu", "Pokhara", "Lalitpur", "Biratnagar")),
    Country("MV", "Maldives", MALDIVIAN, ("Malé", "Addu City", "Hulhumalé", "Fuvahmulah")),
    Country("CN", "China", CHINESE,
            ("Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hangzhou", "Chengdu", "Nanjing",
             "Suzhou", "Wuhan", "Xi'an"), 8),
    Country("TW", "Taiwan", TAIWANESE, ("Taipei", "Kaohsiung", "Taichung", "Tainan",
                                        "Hsinchu"), 2),
    Country("HK", "Hong Kong", CANTONESE,
            ("Kowloon", "Sha Tin", "Tsuen Wan", "Tai Po", "Sai Kung", "Tuen Mun"), 3),
    Country("MO", "Macao", CANTONESE, ("Macao", "Taipa", "Coloane")),
    Country("SG", "Singapore", SINGAPOREAN,
            ("Bukit Timah", "Tampines", "Jurong", "Woodlands", "Serangoon", "Clementi"), 3),
    Country("MY", "Malaysia", MALAY,
            ("Kuala Lumpur", "Penang", "Ipoh", "Johor Bahru", "Kota Kinabalu", "Kuching",
             "Melaka", "Petaling Jaya", "Shah Alam", "Seremban"), 5),
    Country("BN", "Brunei", MALAY, ("Gadong", "Seria", "Kuala Belait", "Tutong")),
    Country("ID", "Indonesia", INDONESIAN,
            ("Jakarta", "Surabaya", "Bandung", "Medan", "Semarang", "Yogyakarta", "Denpasar",
             "Makassar"), 4),
    Country("JP", "Japan", JAPANESE,
            ("Tokyo", "Osaka", "Yokohama", "Kobe", "Nagoya", "Kyoto", "Fukuoka", "Sapporo"), 2),
    Country("KR", "South Korea", KOREAN,
            ("Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Gwangju", "Jeju"), 2),
    Country("TH", "Thailand", THAI,
            ("Bangkok", "Chiang Mai", "Phuket", "Pattaya", "Khon Kaen", "Hua Hin"), 3),
    Country("VN", "Vietnam", VIETNAMESE,
            ("Hanoi", "Saigon", "Da Nang", "Hai Phong", "Nha Trang", "Can Tho"), 3),
    Country("PH", "Philippines", FILIPINO,
            ("Manila", "Quezon City", "Makati", "Cebu", "Davao", "Pasig", "Iloilo"), 3),
    Country("MM", "Myanmar", BURMESE, ("Yangon", "Mandalay", "Naypyidaw", "Bago")),
    Country("KH", "Cambodia", KHMER, ("Phnom Penh", "Siem Reap", "Battambang")),
    Country("JM", "Jamaica", CARIBBEAN,
            ("Kingston", "Montego Bay", "Spanish Town", "Mandeville", "Ocho Rios"), 2),
    Country("TT", "Trinidad and Tobago", TRINIDADIAN,
            ("Port of Spain", "San Fernando", "Arima", "Chaguanas"), 2),
    Country("GY", "Guyana", TRINIDADIAN, ("Georgetown", "Linden", "New Amsterdam")),
    Country("BB", "Barbados", CARIBBEAN, ("Bridgetown", "Speightstown", "Holetown")),
    Country("BS", "Bahamas", CARIBBEAN, ("Nassau", "Freeport")),
    Country("KY", "Cayman Islands", CARIBBEAN, ("George Town", "West Bay")),
    Country("BM", "Bermuda", CARIBBEAN, ("Hamilton", "St. George's")),
    Country("LC", "Saint Lucia", CARIBBEAN, ("Castries", "Gros Islet", "Vieux Fort")),
)  # fmt: skip

NAMES: tuple[Names, ...] = tuple(dict.fromkeys(country.names for country in COUNTRIES))
