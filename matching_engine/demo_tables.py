"""The demo organisation's tables: names by culture, time zones, departments with
their career tracks and skills, interests, values, goal sentences and availability
blocks. Data more than logic; ``demo`` draws from it."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from matching_engine.model import CHANNELS

T = TypeVar("T")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    out, total = [], 0.0
    for weight in weights:
        total += weight
        out.append(total)
    return tuple(out)


# --- Where people live ----------------------------------------------------------------------------------

_NAMES: dict[str, tuple[str, str]] = {
    "anglo": (
        "James Olivia William Emma Oliver Charlotte Jack Amelia Henry Sophie Thomas Grace George Emily "
        "Daniel Hannah Samuel Lucy Benjamin Chloe Matthew Ella Michael Sarah David Jessica Ryan Megan "
        "Andrew Rebecca Christopher Laura Jacob Rachel Nathan Abigail Joshua Katie Liam Madison Ethan "
        "Harper Noah Zoe Lucas Isla Connor Freya",
        "Smith Johnson Williams Brown Jones Taylor Wilson Davies Evans Thomas Roberts Walker Wright "
        "Thompson White Hughes Edwards Green Hall Wood Harris Clarke Jackson Turner Hill Moore Cooper "
        "Ward Morris King Baker Harrison Morgan Campbell Murphy O'Brien Kelly Stewart Reid Anderson "
        "Mitchell Bennett Collins Parker Bailey Carter Foster Russell",
    ),
    "hispanic": (
        "Sofía Valentina Camila Isabella Ximena Mariana Regina Daniela Lucía Fernanda Gabriela Andrea "
        "Paula Renata Victoria Alejandra Santiago Mateo Sebastián Diego Leonardo Emiliano Daniel "
        "Alejandro Javier Carlos Luis Jorge Miguel Ricardo Fernando Eduardo Andrés Rodrigo Pablo Arturo",
        "García Hernández Martínez López González Rodríguez Pérez Sánchez Ramírez Cruz Flores Gómez "
        "Morales Vázquez Reyes Jiménez Torres Díaz Gutiérrez Ruiz Mendoza Aguilar Ortiz Castillo Romero "
        "Moreno Chávez Rivera Juárez Domínguez Herrera Medina Vargas Castro Ramos Navarro",
    ),
    "brazilian": (
        "Ana Beatriz Mariana Larissa Juliana Camila Fernanda Letícia Gabriela Luana Bruna Carolina "
        "Isabela Vitória Rafaela Thaís João Pedro Lucas Gabriel Rafael Gustavo Felipe Matheus Thiago "
        "Bruno Rodrigo Leonardo Eduardo Vinícius André Caio Diego Henrique Marcelo Paulo",
        "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins "
        "Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira "
        "Nunes Marques Machado Mendes Freitas Cardoso Teixeira Cavalcanti Azevedo",
    ),
    "german": (
        "Lukas Leon Finn Jonas Paul Felix Maximilian Elias Ben Tim Jan Niklas Moritz Tobias Florian "
        "Sebastian Julian Matthias Stefan Hannah Lea Lena Anna Marie Laura Julia Sophie Mia Emma Lara "
        "Katharina Johanna Clara Nina Franziska Miriam Jana Luisa",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer "
        "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange "
        "Schmitt Werner Krause Meier Lehmann Köhler Herrmann Walter König Maier Huber Kaiser Fuchs Peters "
        "Jung",
    ),
    "indian": (
        "Aarav Vivaan Aditya Arjun Rohan Rahul Vikram Karthik Siddharth Ananya Priya Aditi Diya Isha "
        "Kavya Meera Neha Pooja Riya Shreya Sneha Tanvi Nikhil Amit Sanjay Deepak Varun Harsh Manish "
        "Pranav Divya Lakshmi Anjali Swati Nandini Ishaan Kabir Rajesh Suresh Anika",
        "Sharma Verma Gupta Patel Singh Kumar Reddy Iyer Nair Menon Rao Joshi Mehta Shah Desai Kulkarni "
        "Chatterjee Banerjee Mukherjee Das Bose Pillai Krishnan Agarwal Malhotra Kapoor Chopra Bhat Naidu "
        "Srinivasan Venkatesh Jain Mishra Pandey Saxena Thakur Ghosh Sen Chauhan Yadav",
    ),
    "nepali": (
        "Aayush Bibek Bikash Binod Dipesh Kiran Manish Nabin Prakash Rajan Roshan Sagar Sandeep Sujan "
        "Suman Anish Prabin Sushil Nischal Aarati Anjali Bimala Deepa Gita Kabita Manisha Nisha Pooja "
        "Prativa Rachana Sabina Sarita Shristi Sunita Srijana Asmita Pratiksha Sujata",
        "Shrestha Sharma Adhikari Thapa Gurung Tamang Rai Limbu Magar Karki Bhattarai Poudel Khadka "
        "Basnet Pandey Joshi Maharjan Pradhan Rana Koirala Dahal Ghimire Acharya Neupane Regmi Bista "
        "Sapkota Subedi Lama Aryal Gautam Bhandari Pokharel",
    ),
    "chinese": (
        "Wei Jun Ming Hao Xin Jie Lei Kai Yang Jiahui Xinyi Zhiwei Junjie Yuxuan Zihan Siyu Yutong Mei "
        "Ling Hui Qing Yan Fang Jing Ying Xiaoyu Haoran Yichen Ruoxi Shanshan Weijie Kelvin Rachel Joanne "
        "Darren",
        "Tan Lim Lee Ng Ong Wong Goh Chua Chan Koh Teo Ang Yeo Tay Ho Low Sim Chong Chen Wang Zhang Liu "
        "Li Yang Huang Zhao Wu Zhou Xu Sun Lin Gao",
    ),
    "malay": (
        "Ahmad Muhammad Farhan Hafiz Imran Irfan Aiman Danial Hakim Syafiq Amir Rizwan Nur Siti Aisyah "
        "Farah Nadia Aina Syazwani Amira Hidayah Liyana Zulaikha Sofea",
        "Rahman Ismail Hassan Abdullah Ibrahim Yusof Osman Salleh Aziz Hamid Rahim Jamil Karim Latif "
        "Zainal Bakar Othman Harun Kassim",
    ),
    "japanese": (
        "Haruto Sota Yuto Ren Hinata Riku Kaito Takumi Daiki Shota Kenji Hiroshi Takeshi Yuki Ryota "
        "Kazuki Naoki Satoshi Yui Hina Mei Sakura Aoi Yuna Rin Mio Haruka Nanami Ayaka Misaki Emi Keiko "
        "Yoko Natsuki Akari Kana",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki "
        "Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Ishikawa "
        "Ogawa Fujita Okada Goto Hasegawa Murakami Kondo Saito Sakamoto Endo",
    ),
    "nigerian": (
        "Chinedu Emeka Oluwaseun Tunde Babatunde Adebayo Chukwuemeka Ifeanyi Obinna Segun Kunle Femi "
        "Ikenna Yusuf Ibrahim Musa Abdullahi Uche Tobi Damilola Chiamaka Ngozi Adaeze Funmilayo Folake "
        "Yetunde Temitope Oluwatoyin Amaka Chidinma Ifeoma Nneka Aisha Zainab Hauwa Bukola Kemi Tolani "
        "Ebere Adaora",
        "Okafor Okonkwo Adeyemi Adebayo Ogunleye Okeke Eze Nwosu Obi Balogun Afolabi Olawale Ibrahim "
        "Bello Abubakar Mohammed Adewale Nwachukwu Chukwu Onyeka Uzor Ogbu Akinola Fashola Adeleke Salami "
        "Oladipo Ezeh Iwu",
    ),
    "kenyan": (
        "Brian Kevin Dennis Collins Victor Samuel Peter Joseph Daniel Francis Stephen Moses Caleb Ian "
        "Felix Faith Mercy Grace Joy Esther Ruth Purity Sharon Brenda Cynthia Wanjiru Akinyi Atieno Njeri "
        "Wambui Nyambura Achieng Chebet",
        "Otieno Ochieng Odhiambo Omondi Onyango Kamau Mwangi Njoroge Kariuki Wanjiku Maina Kimani Mutua "
        "Musyoka Kiprop Kipchumba Cheruiyot Korir Rotich Wafula Wekesa Barasa Nyaga Gitau Ndungu Macharia "
        "Mugo Kiptoo Chege Owino",
    ),
    "maori": (
        "Aroha Mere Anahera Kiri Ngaio Hine Manaia Nikau Tane Rangi Wiremu Hemi Tamati Ariki Rawiri Moana "
        "Kahu Tui Hana",
        "Ngata Parata Tipene Karaka Paewai Rangihuna Tamihana Waititi Heke Pohatu Whaanga Wihongi Takerei "
        "Hohaia Rameka",
    ),
}

# Languages besides English (the company language, so everyone has "en"), with the chance that a
# person of that background speaks each.
_LANGUAGES: dict[str, tuple[tuple[str, float], ...]] = {
    "anglo": (("fr", 0.08), ("es", 0.07), ("de", 0.04)),
    "hispanic": (("es", 0.95), ("pt", 0.05)),
    "brazilian": (("pt", 0.97), ("es", 0.25)),
    "german": (("de", 0.97), ("fr", 0.15)),
    "indian": (("hi", 0.75), ("ta", 0.1), ("te", 0.08), ("bn", 0.08), ("mr", 0.07)),
    "nepali": (("ne", 0.95), ("hi", 0.4)),
    "chinese": (("zh", 0.85), ("ms", 0.1)),
    "malay": (("ms", 0.95), ("zh", 0.05)),
    "japanese": (("ja", 0.98),),
    "nigerian": (("yo", 0.35), ("ig", 0.3), ("ha", 0.2), ("fr", 0.05)),
    "kenyan": (("sw", 0.9),),
    "maori": (("mi", 0.6),),
}

# (zone, weight, backgrounds of the people who live there with their weights)
_ZONE_TABLE = (
    ("America/New_York", 10, "anglo:70 hispanic:14 indian:8 chinese:8"),
    ("America/Chicago", 5, "anglo:75 hispanic:15 indian:5 nigerian:5"),
    ("America/Los_Angeles", 7, "anglo:55 hispanic:25 chinese:12 indian:8"),
    ("America/Mexico_City", 5, "hispanic:100"),
    ("America/Sao_Paulo", 6, "brazilian:95 japanese:5"),
    ("Europe/London", 9, "anglo:78 indian:12 nigerian:6 chinese:4"),
    ("Europe/Berlin", 7, "german:90 anglo:5 indian:5"),
    ("Africa/Lagos", 5, "nigerian:100"),
    ("Africa/Nairobi", 4, "kenyan:100"),
    ("Asia/Kolkata", 12, "indian:100"),
    ("Asia/Kathmandu", 4, "nepali:100"),
    ("Asia/Singapore", 5, "chinese:70 malay:15 indian:15"),
    ("Asia/Tokyo", 5, "japanese:100"),
    ("Australia/Sydney", 6, "anglo:80 chinese:10 indian:10"),
    ("Pacific/Auckland", 4, "anglo:75 maori:15 chinese:5 indian:5"),
)
_SAME_ZONE_AS_MANAGER = 0.5  # teams cluster, but every company has remote staff
_GERMAN_SPELLING = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def _ascii_slug(name: str) -> str:
    """The e-mail form of a name: ``Müller`` -> ``mueller``, ``O'Brien`` -> ``obrien``."""
    plain = unicodedata.normalize("NFKD", name.translate(_GERMAN_SPELLING))
    return "".join(ch for ch in plain.encode("ascii", "ignore").decode().lower() if ch.isalpha())


@dataclass(frozen=True, slots=True)
class _Culture:
    given: tuple[tuple[str, str], ...]  # (display name, ascii slug)
    family: tuple[tuple[str, str], ...]
    languages: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class _Zone:
    name: str
    cultures: tuple[_Culture, ...]
    cum_weights: tuple[float, ...]


def _culture(key: str) -> _Culture:
    given, family = (tuple((n, _ascii_slug(n)) for n in _words(names)) for names in _NAMES[key])
    return _Culture(given, family, _LANGUAGES[key])


def _zone(name: str, mix: str) -> _Zone:
    pairs = [part.split(":") for part in mix.split()]
    cum = _cumulative([float(weight) for _, weight in pairs])
    return _Zone(name, tuple(_CULTURES[key] for key, _ in pairs), cum)


_CULTURES = {key: _culture(key) for key in _NAMES}
_ZONES = tuple(_zone(name, mix) for name, _, mix in _ZONE_TABLE)
_ZONE_CUM = _cumulative([float(weight) for _, weight, _ in _ZONE_TABLE])

# --- What people do -------------------------------------------------------------------------------------

_CROSS_SKILLS = _phrases(
    "stakeholder management, public speaking, people management, negotiation, written communication, "
    "giving feedback, time management, career planning, presentation skills, conflict resolution, "
    "project management, coaching, interviewing, strategic thinking, cross-team collaboration, "
    "decision making, influencing without authority, remote team leadership"
)
_SENIOR_SKILLS = _phrases("people management, strategic thinking, interviewing, coaching")


@dataclass(frozen=True, slots=True)
class _Track:
    """A discipline inside a department, which names its titles."""

    stem: str  # the individual contributor's title: "Software Engineer"
    manager: str  # seniority 6
    senior_manager: str  # seniority 7
    area: str  # "Director of <area>" at seniority 8


@dataclass(frozen=True, slots=True)
class _Department:
    name: str
    weight: int
    head: str  # seniority 9
    tracks: tuple[_Track, ...]
    track_cum: tuple[float, ...]
    skills: tuple[str, ...]


def _track(spec: str) -> tuple[_Track, float]:
    """``"3*Stem|Manager|Area[|Senior manager]"`` -> the track and its weight."""
    weight, _, spec = spec.rpartition("*")
    stem, manager, area, *senior = spec.split("|")
    return _Track(stem, manager, senior[0] if senior else f"Senior {manager}", area), float(weight or 1)


def _department(name: str, weight: int, head: str, tracks: str, skills: str) -> _Department:
    parsed = [_track(spec) for spec in tracks.split(";") if spec]
    own = tuple(skill for skill in _phrases(skills) if skill not in _CROSS_SKILLS)
    track_cum = _cumulative([w for _, w in parsed])
    return _Department(name, weight, head, tuple(t for t, _ in parsed), track_cum, own)


# Index 0 is the CEO's; the rest in the order a growing company adds them.
_DEPARTMENTS = (
    _department("Executive", 0, "", "",
        "company strategy, fundraising, board relations, executive presence, scaling organisations, "
        "culture building, M&A, investor communication"),
    _department("Engineering", 28, "VP Engineering",
        "5*Software Engineer|Engineering Manager|Engineering;"
        "Site Reliability Engineer|SRE Manager|Reliability Engineering;"
        "QA Engineer|QA Manager|Quality Engineering;Security Engineer|Security Engineering Manager|Security",
        "Python, Kubernetes, system design, code review, TypeScript, distributed systems, cloud "
        "architecture, incident response, testing strategy, Go, API design, performance tuning, CI/CD, "
        "technical writing, observability"),
    _department("Sales", 14, "VP Sales",
        "3*Account Executive|Sales Manager|Sales;"
        "2*Sales Development Representative|Sales Development Manager|Sales Development;"
        "Solutions Engineer|Solutions Engineering Manager|Solutions Engineering",
        "enterprise sales, pipeline management, discovery calls, account planning, sales forecasting, "
        "objection handling, CRM hygiene, partnerships, deal structuring, product demos, cold outreach"),
    _department("Product & Design", 9, "VP Product & Design",
        "4*Product Manager|Group Product Manager|Product;3*Product Designer|Design Manager|Design;"
        "UX Researcher|UX Research Manager|User Research;"
        "Content Designer|Content Design Manager|Content Design",
        "product discovery, roadmapping, UX research, interaction design, prototyping, design systems, "
        "product analytics, accessibility, user interviews, pricing strategy, Figma, A/B testing, "
        "writing product specs"),
    _department("Customer Success", 11, "VP Customer Success",
        "3*Customer Success Specialist|Customer Success Manager|Customer Success;"
        "2*Support Engineer|Support Manager|Customer Support;"
        "Implementation Consultant|Implementation Manager|Implementation",
        "customer onboarding, renewals, escalation handling, customer advocacy, account management, "
        "support operations, churn analysis, training delivery, customer health scoring, "
        "knowledge base writing"),
    _department("Marketing", 8, "VP Marketing",
        "2*Marketing Specialist|Marketing Manager|Marketing;"
        "Content Marketer|Content Marketing Manager|Content;"
        "Product Marketer|Product Marketing Manager|Product Marketing;"
        "Growth Marketer|Growth Marketing Manager|Growth",
        "content strategy, SEO, brand positioning, demand generation, copywriting, campaign analytics, "
        "product marketing, social media, event marketing, marketing automation, messaging frameworks"),
    _department("Operations", 8, "VP Operations",
        "2*Operations Analyst|Operations Manager|Operations;Program Manager|Program Management Lead|Programs;"
        "Workplace Coordinator|Workplace Manager|Workplace;"
        "Business Systems Analyst|Business Systems Manager|Business Systems",
        "process improvement, vendor management, logistics, budgeting, business continuity, workplace "
        "operations, supply chain, lean methods, operational metrics, OKR planning, tooling rollouts"),
    _department("Finance", 5, "VP Finance",
        "2*Financial Analyst|Finance Manager|Finance;2*Accountant|Accounting Manager|Accounting;"
        "Procurement Specialist|Procurement Manager|Procurement",
        "financial modelling, budgeting, FP&A, accounting, Excel, audit readiness, treasury, revenue "
        "recognition, procurement, tax planning, board reporting"),
    _department("People & Culture", 5, "VP People & Culture",
        "HR Business Partner|HR Manager|People Partnering;2*Recruiter|Recruiting Manager|Talent Acquisition;"
        "People Operations Specialist|People Operations Manager|People Operations;"
        "Learning Specialist|Learning & Development Manager|Learning & Development",
        "talent acquisition, employee relations, compensation design, L&D programmes, performance "
        "reviews, inclusion programmes, HR analytics, onboarding design, employment law, workforce planning"),
    _department("Data & Analytics", 7, "VP Data & Analytics",
        "2*Data Analyst|Analytics Manager|Analytics;Data Scientist|Data Science Manager|Data Science;"
        "Data Engineer|Data Engineering Manager|Data Engineering;"
        "Analytics Engineer|Analytics Manager|Analytics",
        "SQL, data visualisation, statistics, machine learning, experiment design, dbt, Python, "
        "dashboarding, data modelling, forecasting, A/B testing, data governance"),
    _department("Legal", 3, "General Counsel",
        "2*Legal Counsel|Lead Counsel|Legal|Associate General Counsel;"
        "Paralegal|Legal Operations Manager|Legal Operations;"
        "Compliance Analyst|Compliance Manager|Compliance",
        "contract negotiation, data protection, GDPR, commercial law, employment law, intellectual "
        "property, compliance, risk assessment, legal drafting, privacy by design"),
)  # fmt: skip
# Skills a mentee may want from outside their own department (a career move).
_OTHER_SKILLS = tuple(
    tuple(dict.fromkeys(s for o in _DEPARTMENTS for s in o.skills if s not in d.skills)) for d in _DEPARTMENTS
)
_IC_TITLES = ("", "Junior {}", "Associate {}", "{}", "{} II", "Senior {}")  # by seniority 1..5
_IC_SENIORITY_CUM = _cumulative((8, 18, 28, 26, 20))  # how common seniority 1..5 is
# Manager seniorities below the VP, by how many manager layers a department needs.
_MANAGER_LEVELS = ((), (6,), (8, 6), (8, 7, 6), (8, 7, 6, 5))
_MIN_SPAN, _MAX_SPAN, _MAX_GROWTH = 4, 10, 9.0
_SAME_TRACK_AS_MANAGER = 0.85
_MENTOR_WEIGHT = (0.0, 0.15, 0.3, 0.6, 1.0, 1.6, 2.5, 3.0, 3.5, 4.0, 4.0)  # by seniority

_INTERESTS = _phrases(
    "running, photography, open source, cooking, hiking, chess, board games, cycling, yoga, reading, "
    "podcasts, gardening, travel, music, football, cricket, volunteering, climbing, painting, creative "
    "writing, baking, learning languages, film, swimming, meditation, tennis, sailing, birdwatching, "
    "woodworking, video games, parenting, sustainability"
)
_VALUES = _phrases(
    "curiosity, integrity, work-life balance, craft, ownership, kindness, transparency, growth mindset, "
    "inclusion, humility, courage, collaboration, excellence, autonomy, customer focus, sustainability, "
    "lifelong learning, pragmatism"
)
_CHANNEL_SETS = ((0,), (0, 3), (0, 1), (0, 2), (0, 2, 3), (0, 1, 3), (0, 1, 2), (1,), (3,), (2, 3), (1, 2))
_CHANNEL_CHOICES = tuple(tuple(CHANNELS[i] for i in s) for s in _CHANNEL_SETS)
_CHANNEL_CUM = _cumulative((30, 20, 10, 8, 8, 6, 3, 3, 3, 3, 2))  # video is the most common
_DEMO_CAPACITY_CUM = _cumulative((45, 40, 15))  # a mentor takes 1, 2 or 3 mentees
_EXCLUDE_SHARE = 0.01

# --- Goals ----------------------------------------------------------------------------------------------

_MENTEE_GOALS = (
    "I want to get better at {skills} and prepare for {next} within {when}.",
    "I'd like to build confidence in {skills}, aiming for {next} within {when}.",
    "Looking for a mentor to help me grow in {skills} as I work towards {next}.",
    "My goal is {next} within {when}. To get there I need to strengthen {skills}.",
    "I'm hoping to learn {skills} from someone who has done it before, and to get clearer on my path "
    "to {next}.",
)
_MENTOR_GOALS = (
    "I can help with {skills}, drawing on {years} years in {field}.",
    "Happy to share what I have learned about {skills} over {years} years in {field}.",
    "I enjoy helping people with {skills}, and I am glad to talk through {topic}.",
    "After {years} years in {field} I can help with {skills}. I also like talking about {topic}.",
)
_NEXT_STEPS = (
    ("my first promotion", "a mid-level role", "owning a project end to end"),
    ("a senior role", "a team lead role", "more ownership of projects"),
    ("a team lead role", "a broader role", "my first management role"),
    ("a senior management role", "leading managers", "a director role"),
    ("an executive role", "a VP role", "a board-facing role"),
    ("a board seat", "a broader executive remit", "my next company"),
)
_NEXT_STEP_BAND = (0, 0, 0, 1, 1, 2, 3, 3, 4, 5, 5)  # by seniority
_YEARS = (0, 2, 2, 3, 5, 6, 8, 10, 12, 15, 18)  # typical years of experience by seniority, at least
_WHEN = ("a year", "the next six months", "18 months", "two years", "the next year or so")
_TOPICS = _phrases(
    "career changes, promotion cases, working across time zones, a first management role, returning "
    "from parental leave, building a network inside the company, moving between teams, finding a "
    "sustainable pace"
)

# --- When people are free -------------------------------------------------------------------------------

# Like real working people: a working day in their own time (it starts between 8:00 and 10:00 and
# lasts eight and a half hours with lunch), free for a mentoring conversation in its morning or
# afternoon on two to four weekdays; some also offer an early hour before work or a late one after.
_DAY_STARTS = (480, 510, 540, 570, 600)  # minutes after local midnight
_DAY_START_CUM = _cumulative((15, 20, 35, 20, 10))
_WORKING_DAY = 510
_LUNCH = (720, 780)
_WEEKDAYS = (0, 1, 2, 3, 4)
_WORK_DAY_COUNTS = (2, 3, 4)
_WORK_DAY_COUNT_CUM = _cumulative((30, 45, 25))
_EARLY_SHARE, _LATE_SHARE = 0.2, 0.15  # an hour or two before work / after it, on one weekday
_EARLY_START, _LATE_END = 420, 1230  # 7:00, 20:30
