"""Example tasks for the eight professions of "8 brancher og stress", written for Fasthold.

Green: routine and predictable, manageable from the start. Yellow: the beginning of sole responsibility,
with a way to step back. Red: needs overview, many collaborators, concentration, short deadlines or
pace; later, not now. Each row: (colour, Danish, English). Loaded by migration 0002."""

EXAMPLES = {
    "nurse": [
        (
            "green",
            "Fylde op på lageret og tjekke udstyr efter faste lister",
            "Restock supplies and check equipment from fixed lists",
        ),
        (
            "green",
            "Måle og notere værdier hos stabile patienter sammen med en kollega",
            "Measure and record values of stable patients together with a colleague",
        ),
        ("green", "Deltage i morgenmødet som lyttende", "Attend the morning meeting as a listener"),
        (
            "yellow",
            "Have ansvaret for én eller to stabile patienter med en kollega som bagstopper",
            "Take charge of one or two stable patients with a colleague as backup",
        ),
        (
            "yellow",
            "Planlagte samtaler med pårørende, som kan overdrages",
            "Planned conversations with relatives that can be handed over",
        ),
        ("red", "Være koordinerende sygeplejerske på en travl vagt", "Be the coordinating nurse on a busy shift"),
        ("red", "Akutte situationer og modtagelse af nye patienter", "Emergencies and admitting new patients"),
        ("red", "Aften- og nattevagter alene", "Evening and night shifts alone"),
    ],
    "school_teacher": [
        ("green", "Forberede undervisningsmateriale efter en fast plan", "Prepare teaching material to a fixed plan"),
        (
            "green",
            "Støtte enkelte elever eller små hold sammen med en kollega",
            "Support single pupils or small groups alongside a colleague",
        ),
        ("green", "Rette opgaver uden kort tidsfrist", "Mark assignments without a short deadline"),
        (
            "yellow",
            "Undervise én klasse i et fag, hvor en kollega kan tage over",
            "Teach one class in one subject, with a colleague able to take over",
        ),
        ("yellow", "Deltage i teammøder med en afgrænset rolle", "Take part in team meetings in a limited role"),
        (
            "red",
            "Være klasselærer med ansvar for forældrekontakt",
            "Be the form teacher responsible for contact with parents",
        ),
        (
            "red",
            "Skole-hjem-samtaler og konfliktfyldte forældremøder",
            "Parent-teacher meetings and conflict-laden meetings with parents",
        ),
        ("red", "Gårdvagter og vikartimer med kort varsel", "Playground duty and cover lessons at short notice"),
    ],
    "pedagogue": [
        (
            "green",
            "Praktiske opgaver: oprydning, materialer, madpakker",
            "Practical tasks: tidying up, materials, lunch boxes",
        ),
        (
            "green",
            "Faste, rolige aktiviteter med en lille gruppe børn",
            "Fixed, calm activities with a small group of children",
        ),
        ("green", "Være med på legepladsen sammen med en kollega", "Be in the playground together with a colleague"),
        (
            "yellow",
            "Planlægge og lede en aktivitet, som en kollega kan overtage",
            "Plan and lead an activity that a colleague can take over",
        ),
        (
            "yellow",
            "Korte, planlagte samtaler med forældre ved aflevering",
            "Short, planned talks with parents at drop-off",
        ),
        ("red", "Åbne eller lukke institutionen alene", "Open or close the institution alone"),
        (
            "red",
            "Ansvar for børn med særlige behov og samarbejde med mange fagpersoner",
            "Responsibility for children with special needs and work with many professionals",
        ),
        (
            "red",
            "Svære forældresamtaler og underretninger",
            "Difficult talks with parents and child-protection reports",
        ),
    ],
    "ssh_ssa": [
        (
            "green",
            "Praktisk hjælp hos kendte borgere efter en fast rute",
            "Practical help for known citizens on a fixed route",
        ),
        ("green", "Rengøring, tøjvask og oprydning", "Cleaning, laundry and tidying"),
        ("green", "Følge med en kollega på besøg", "Join a colleague on visits"),
        (
            "yellow",
            "Personlig pleje hos få, kendte borgere med en kollega til rådighed",
            "Personal care for a few known citizens with a colleague available",
        ),
        ("yellow", "Dokumentation af egne besøg uden tidspres", "Recording own visits without time pressure"),
        (
            "red",
            "Tætpakkede ruter med mange borgere og skift i planen",
            "Packed routes with many citizens and changes to the plan",
        ),
        (
            "red",
            "Borgere med udadreagerende adfærd eller svær demens",
            "Citizens with aggressive behaviour or severe dementia",
        ),
        ("red", "Akutte situationer alene", "Emergencies alone"),
    ],
    "social_worker": [
        (
            "green",
            "Journalisering og registrering efter faste skabeloner",
            "Case notes and registration from fixed templates",
        ),
        ("green", "Opdatere vejledninger og skabeloner", "Update guides and templates"),
        ("green", "Sidde med på møder som bisidder for en kollega", "Sit in on meetings as a colleague's second"),
        (
            "yellow",
            "Et lille antal enkle sager, som kan gives videre",
            "A small number of simple cases that can be handed on",
        ),
        ("yellow", "Planlagte telefonsamtaler med borgere", "Planned phone calls with citizens"),
        ("red", "Et fuldt sagsantal med lovbundne frister", "A full caseload with statutory deadlines"),
        (
            "red",
            "Konfliktfyldte møder og afgørelser med store konsekvenser for borgeren",
            "Conflict-laden meetings and decisions with large consequences for the citizen",
        ),
        ("red", "Akutte sager og underretninger", "Urgent cases and reports of concern"),
    ],
    "manager": [
        (
            "green",
            "Faste administrative opgaver: godkende, følge op på tal",
            "Fixed administrative tasks: approvals, following up on figures",
        ),
        (
            "green",
            "Korte, planlagte møder med enkelte medarbejdere",
            "Short, planned meetings with single staff members",
        ),
        ("green", "Sætte sig ind i, hvad der er sket under fraværet", "Catch up on what happened during the absence"),
        ("yellow", "Lede et afgrænset projekt med en stedfortræder", "Lead a limited project with a deputy"),
        ("yellow", "Personaleledelse af en lille gruppe", "Line management of a small group"),
        ("red", "Budget, omstrukturering og afskedigelser", "Budgets, restructuring and dismissals"),
        (
            "red",
            "Ansvar for hele driften med mange samarbejdspartnere",
            "Responsibility for all operations with many partners",
        ),
        (
            "red",
            "Presse, politikere og topledelse med korte frister",
            "The press, politicians and top management at short notice",
        ),
    ],
    "academic": [
        (
            "green",
            "Afgrænsede analyser eller tekster uden kort frist",
            "Limited analyses or texts without a short deadline",
        ),
        (
            "green",
            "Korrekturlæsning og kvalitetssikring af andres arbejde",
            "Proofreading and quality checks of others' work",
        ),
        ("green", "Læse sig ind i et fagområde", "Read up on a subject"),
        (
            "yellow",
            "En delopgave i et projekt med en kollega som sparringspartner",
            "A part of a project with a colleague to consult",
        ),
        ("yellow", "Interne møder med en afgrænset rolle", "Internal meetings in a limited role"),
        ("red", "Projektledelse med mange interessenter", "Project management with many stakeholders"),
        ("red", "Oplæg, undervisning og præsentationer", "Talks, teaching and presentations"),
        (
            "red",
            "Opgaver med politiske eller ledelsesmæssige deadlines",
            "Tasks with political or management deadlines",
        ),
    ],
    "administrative": [
        ("green", "Post, arkivering og scanning", "Post, filing and scanning"),
        ("green", "Bogføring og registrering efter faste rutiner", "Bookkeeping and registration by fixed routines"),
        ("green", "Bestilling af varer og mødelokaler", "Ordering supplies and booking meeting rooms"),
        (
            "yellow",
            "Telefonen i et begrænset tidsrum med en kollega som backup",
            "The phone for a limited time with a colleague as backup",
        ),
        ("yellow", "Egne, afgrænsede kunder eller sager", "Own, limited customers or cases"),
        (
            "red",
            "Årsafslutning, momsfrister og andre korte deadlines",
            "Year-end closing, VAT deadlines and other short deadlines",
        ),
        ("red", "Betjene mange kolleger og ledere på én gang", "Serving many colleagues and managers at once"),
        ("red", "Receptionen alene i travle perioder", "The reception alone in busy periods"),
    ],
}
