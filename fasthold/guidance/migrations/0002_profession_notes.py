"""Ships the knowledge base's starting content: one note per profession of "8 brancher og stress"
(seed 000), in Danish and English, written in Fasthold's own words. Organisation administrators
edit the notes afterwards; this migration only adds notes that do not exist yet."""

from django.db import migrations

# category: (Danish, English); each a tuple (title, loads, watch, green, yellow, red)
NOTES = {
    "nurse": (
        (
            "Sygeplejerske",
            "- Højt tempo og mange afbrydelser\n- Ansvar for patienters sikkerhed, også i pressede vagter\n"
            "- Skiftende vagter, aften- og nattearbejde\n- Følelsesmæssigt krævende møder med patienter og pårørende",
            "- Antal konfrontationstimer med patienter og pårørende\n- Vagtplan: undgå nattevagter og skiftende vagter i starten\n"
            "- Om kollegerne kan dække, når der skal siges fra\n- Om den sygemeldte får ansvar for andres arbejde for tidligt",
            "- Faste, planlagte opgaver i dagvagt\n- Lægemiddelopfyldning, oprydning og bestilling\n- Opgaver sammen med en kollega",
            "- Egne patienter i et mindre, stabilt afsnit\n- Oplæring af nye kolleger i kendte rutiner",
            "- Ansvarshavende vagt og koordinering\n- Akutte situationer og modtagelse af nye patienter\n- Nattevagter",
        ),
        (
            "Nurse",
            "- High pace and many interruptions\n- Responsibility for patient safety, also on stretched shifts\n"
            "- Changing shifts, evening and night work\n- Emotionally demanding encounters with patients and relatives",
            "- Hours of direct contact with patients and relatives\n- The rota: avoid night shifts and changing shifts at first\n"
            "- Whether colleagues can cover when the nurse must say no\n- Whether responsibility for others' work comes too soon",
            "- Fixed, planned tasks on day shifts\n- Restocking medicines, tidying and ordering\n- Tasks together with a colleague",
            "- Own patients in a smaller, stable ward\n- Training new colleagues in familiar routines",
            "- Shift in charge and coordination\n- Emergencies and admitting new patients\n- Night shifts",
        ),
    ),
    "school_teacher": (
        (
            "Folkeskolelærer",
            "- Mange elever og forældre at forholde sig til på én gang\n- Uro i klassen og konflikter\n"
            "- Forberedelse, der vokser ud over arbejdstiden\n- Inklusion med begrænsede ressourcer",
            "- Antal undervisningstimer og forældresamtaler\n- Om der er en fast kollega at sparre med\n"
            "- Om forberedelsen glider ind i fritiden\n- Støj og uro som belastning i sig selv",
            "- Undervisning sammen med en kollega (to-lærer-ordning)\n- Forberedelse og materialeudvikling\n- Små hold",
            "- Egne timer i en kendt klasse\n- Ansvar for et fag uden klasselærerfunktion",
            "- Klasselærerfunktion og forældremøder\n- Svære forældresamtaler\n- Lejrskole, projektuger og andre store arrangementer",
        ),
        (
            "School teacher",
            "- Many pupils and parents to relate to at once\n- Unrest in the classroom and conflicts\n"
            "- Preparation that grows beyond working hours\n- Inclusion with limited resources",
            "- Number of lessons and parent meetings\n- Whether there is a fixed colleague to consult\n"
            "- Whether preparation slides into free time\n- Noise and unrest as a strain in themselves",
            "- Teaching together with a colleague\n- Preparation and developing materials\n- Small groups",
            "- Own lessons in a familiar class\n- Responsibility for a subject without being class teacher",
            "- Class teacher role and parent evenings\n- Difficult conversations with parents\n- School camps, project weeks and other big events",
        ),
    ),
    "pedagogue": (
        (
            "Pædagog",
            "- Mange børn pr. voksen og konstant opmærksomhed\n- Støj\n- Forældresamarbejde, også når det er svært\n"
            "- Dokumentation og krav oven i den daglige drift",
            "- Antal timer med børnene og med forældre\n- Åbne- og lukkevagter, hvor man står alene\n"
            "- Støjniveau og pauser\n- Om kollegerne ved, hvad der er aftalt",
            "- Planlagte aktiviteter med en lille gruppe børn\n- Praktiske opgaver og forberedelse\n- Arbejde sammen med en kollega",
            "- Ansvar for en mindre gruppe i et kendt rum\n- Korte, planlagte forældresnakke",
            "- Åbne- og lukkevagter alene\n- Svære forældresamtaler og underretninger\n- Ture ud af huset med mange børn",
        ),
        (
            "Pedagogue",
            "- Many children per adult and constant attention\n- Noise\n- Cooperation with parents, also when it is hard\n"
            "- Documentation and demands on top of the daily work",
            "- Hours with the children and with parents\n- Opening and closing shifts where one is alone\n"
            "- Noise level and breaks\n- Whether colleagues know what has been agreed",
            "- Planned activities with a small group of children\n- Practical tasks and preparation\n- Working together with a colleague",
            "- Responsibility for a smaller group in a familiar room\n- Short, planned talks with parents",
            "- Opening and closing shifts alone\n- Difficult parent meetings and child-protection reports\n- Outings with many children",
        ),
    ),
    "ssh_ssa": (
        (
            "Social- og sundhedshjælper/-assistent",
            "- Fysisk tunge opgaver og tidspres i køreplanen\n- Mange borgere og pårørende\n"
            "- Skiftende ruter og kolleger\n- Borgere med udadreagerende adfærd",
            "- Antal borgerbesøg og ruternes længde\n- Løft og forflytninger\n"
            "- Episoder med vold eller trusler – pas på ikke at genopleve dem\n- Om der er tid til at sige fra",
            "- Faste borgere på en kort, kendt rute\n- Praktisk hjælp og dokumentation\n- Opgaver sammen med en kollega",
            "- Flere borgere med plejebehov\n- Medicinadministration ved assistenter",
            "- Borgere med udadreagerende adfærd\n- Akutte situationer og aftenvagter alene\n- Lange ruter med mange nye borgere",
        ),
        (
            "Social and health care helper/assistant",
            "- Physically heavy work and a tight schedule\n- Many citizens and relatives\n"
            "- Changing routes and colleagues\n- Citizens who may act out",
            "- Number of home visits and the length of the route\n- Lifting and transfers\n"
            "- Episodes of violence or threats – take care not to make the employee relive them\n- Whether there is time to say no",
            "- Regular citizens on a short, familiar route\n- Practical help and documentation\n- Tasks together with a colleague",
            "- More citizens with care needs\n- Handing out medicine (assistants)",
            "- Citizens who act out\n- Emergencies and evening shifts alone\n- Long routes with many new citizens",
        ),
    ),
    "social_worker": (
        (
            "Socialrådgiver",
            "- Mange sager og skiftende regler\n- Frister og dokumentationskrav\n"
            "- Borgere i krise og svære afgørelser\n- Krydspres mellem borger, ledelse og lovgivning",
            "- Sagsantal og frister\n- Antal borgermøder, især konfliktfyldte\n- Om telefonen og mailen følger med hjem\n"
            "- Om sagerne bliver overdraget tydeligt",
            "- Kendte, afgrænsede sager uden frister\n- Journalføring og opfølgning\n- Deltagelse i møder som bisidder for en kollega",
            "- Egne, mindre sager med en kollega som backup\n- Planlagte borgermøder",
            "- Akutte og komplekse sager\n- Afgørelser med korte frister\n- Møder med vrede eller truende borgere",
        ),
        (
            "Social worker",
            "- Many cases and changing rules\n- Deadlines and documentation demands\n"
            "- Citizens in crisis and hard decisions\n- Cross-pressure between citizen, management and law",
            "- Caseload and deadlines\n- Number of meetings with citizens, especially difficult ones\n- Whether phone and e-mail follow them home\n"
            "- Whether cases are handed over clearly",
            "- Familiar, well-defined cases without deadlines\n- Case notes and follow-up\n- Joining meetings alongside a colleague",
            "- Own, smaller cases with a colleague as backup\n- Planned meetings with citizens",
            "- Urgent and complex cases\n- Decisions with short deadlines\n- Meetings with angry or threatening citizens",
        ),
    ),
    "manager": (
        (
            "Leder",
            "- Ansvar for andres trivsel og for driften\n- Krydspres mellem ledelse og medarbejdere\n"
            "- Mange møder og afbrydelser\n- Svært at sige fra og svært at være sygemeldt fra ansvaret",
            "- Hvem der har ansvaret, mens lederen er væk – og hvornår det gives tilbage\n- Antal personalesager\n"
            "- Om lederen selv har en at sparre med\n- Tilgængelighed uden for arbejdstid",
            "- Faglige opgaver uden personaleansvar\n- Forberedelse og analyser\n- Deltagelse i møder uden at lede dem",
            "- Ansvar for en mindre del af området\n- Planlagte medarbejdersamtaler",
            "- Personalesager og afskedigelser\n- Budgetansvar og omstruktureringer\n- Krisehåndtering",
        ),
        (
            "Manager",
            "- Responsibility for others' well-being and for operations\n- Cross-pressure between top management and staff\n"
            "- Many meetings and interruptions\n- Hard to say no, and hard to be sick-listed from the responsibility",
            "- Who holds the responsibility while the manager is away – and when it is handed back\n- Number of staff cases\n"
            "- Whether the manager has someone to consult\n- Being available outside working hours",
            "- Professional tasks without staff responsibility\n- Preparation and analysis\n- Attending meetings without chairing them",
            "- Responsibility for a smaller part of the area\n- Planned appraisal interviews",
            "- Staff cases and dismissals\n- Budget responsibility and restructuring\n- Crisis management",
        ),
    ),
    "academic": (
        (
            "Akademisk medarbejder",
            "- Grænseløst arbejde og høje krav til sig selv\n- Mange projekter på én gang\n"
            "- Deadlines og præsentationer\n- Uklare mål og prioriteringer",
            "- Om arbejdet glider ind i fritiden\n- Antal projekter og samarbejdspartnere\n"
            "- Tydelige prioriteringer fra lederen\n- Perfektionisme",
            "- Afgrænsede opgaver uden deadline\n- Læsning, research og kvalitetssikring af andres arbejde",
            "- Egen delopgave i et projekt med en kollega som ansvarlig\n- Korte interne møder",
            "- Projektledelse med mange samarbejdspartnere\n- Korte deadlines\n- Præsentationer og undervisning",
        ),
        (
            "Academic",
            "- Boundless work and high demands on oneself\n- Many projects at once\n"
            "- Deadlines and presentations\n- Unclear goals and priorities",
            "- Whether work slides into free time\n- Number of projects and partners\n"
            "- Clear priorities from the manager\n- Perfectionism",
            "- Well-defined tasks without a deadline\n- Reading, research and quality checks of others' work",
            "- An own part of a project with a colleague in charge\n- Short internal meetings",
            "- Leading projects with many partners\n- Short deadlines\n- Presentations and teaching",
        ),
    ),
    "administrative": (
        (
            "Administrativ medarbejder",
            "- Mange henvendelser og afbrydelser\n- Frister og fejlfølsomme opgaver\n"
            "- Skiftende systemer og omstruktureringer\n- At være bindeled mellem mange",
            "- Telefon og skranke som belastning\n- Frister som løn, regnskab og indberetninger\n"
            "- Om opgaverne er overdraget tydeligt\n- Storrumskontor og støj",
            "- Rutineopgaver som arkivering, bogføring og registrering\n- Opgaver uden frist\n- Arbejde i et stille lokale",
            "- Egne, afgrænsede sagsområder\n- Telefonvagt i korte perioder med en kollega i nærheden",
            "- Frister som lønkørsel og årsafslutning\n- Mange samtidige henvendelser\n- Koordinering af møder og arrangementer",
        ),
        (
            "Administrative",
            "- Many enquiries and interruptions\n- Deadlines and error-sensitive tasks\n"
            "- Changing systems and restructurings\n- Being the link between many people",
            "- Phone and front desk as a strain\n- Deadlines such as payroll, accounts and reporting\n"
            "- Whether tasks are handed over clearly\n- Open-plan office and noise",
            "- Routine tasks such as filing, bookkeeping and registration\n- Tasks without a deadline\n- Working in a quiet room",
            "- Own, well-defined areas\n- Short phone duty with a colleague nearby",
            "- Deadlines such as payroll and year-end closing\n- Many enquiries at once\n- Coordinating meetings and events",
        ),
    ),
}

FIELDS = ("title", "loads", "watch", "green_tasks", "yellow_tasks", "red_tasks")


def add_notes(apps, schema_editor):
    ProfessionNote = apps.get_model("guidance", "ProfessionNote")
    existing = set(ProfessionNote.objects.values_list("profession_category", "language"))
    ProfessionNote.objects.bulk_create([
        ProfessionNote(profession_category=category, language=language, **dict(zip(FIELDS, texts)))
        for category, (danish, english) in NOTES.items()
        for language, texts in (("da", danish), ("en", english))
        if (category, language) not in existing
    ])


class Migration(migrations.Migration):
    dependencies = [("guidance", "0001_initial")]
    operations = [migrations.RunPython(add_notes, migrations.RunPython.noop)]
