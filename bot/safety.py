"""The safety net: emergencies and self-harm are caught before anything else.

It works in two stages.

1. Rules (`SafetyNet.scan`): plain regular expressions over a normalised copy of the message.
   They lean hard towards recall: "bored", "splashed" and "juked" are slang for stabbing, so
   the rules fire on "im bored" too. Everyday idioms ("this song is killing me") are removed
   first, and time words ("back in march", "two years ago", "when i was in year 7") are noted.
2. A second stage (`SafetyPolicy.decide`) grades how sure the bot is that this is happening
   now, from the rules, the time words and a small trained classifier over safety grades
   (danger now, hurt now, both hurt and in crisis, suicidal, self-harm, someone else in
   crisis, past, hypothetical, everyday). Its training data (nlu/safety/data/) was written by
   many writers, with hard negatives from each of them.

The answer comes in grades: a clear emergency gets the 999 reply; an uncertain one gets the
normal answer with a line about 999 at the top; an everyday use gets no 999 at all. Crisis
signals always get a helpline, also inside an emergency reply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from bot.prefilter import Prefilter
from bot.text import plain

# Words for knives and for being stabbed that young people in the UK use.
KNIFE = (
    r"(?:knife|knifes|knives|nife|nifes|nives|knif|blade|blades|blayd|blaid|shank|shanks|bora|boras|"
    r"borer|nank|nanks|ching|chings|chib|chibs|machete|machetes|zombie knife|weapon|weapons|ting|"
    r"kitchen knife|swords?|shiv|skeng|skengs)"
    r"(?! crime| law| laws| bin| bins| amnesty| surrender| order| crime prevention| set| sets| block| sharpening)"
)
# Tools that are weapons when someone breaks in with one or threatens with one (not in KNIFE:
# "dad is in the garden with a hammer" is an ordinary day).
WEAPON = (
    rf"(?:{KNIFE}|hammer|hammers|crowbar|crowbars|axe|axes|baseball bat|cricket bat|metal bar|iron bar|"
    r"golf club)"
)
STABBED = r"(?:stab+ed|stabd|stabbd|stab|shanked|shankd|slashed|knifed|chinged|nanked|chibbed)"
# Slang for stabbing that is also everyday English ("im bored", "got juked in fifa"): rules with
# these are weak, and the safety classifier decides.
STABBED_SLANG = (
    r"(?:cheffed|chefed|chefd|juked|jooked|poked|wetted|wet up|splashed|ripped|cut up|bored|slit|"
    r"merked|murked|boxed up|opened up|sliced)"
)
# Someone other than the person writing: "he", "some guy", "my mum's boyfriend", "the opps".
OTHER = (
    r"(?:he|hes|she|shes|they|theyve|theyre|someone|someones|somebody|somebodys|some1|sum1|"
    r"somone|somones|sumone|someon|some one|sombody|lad|lads|a lad|this lad|the lad|gang|a gang|the gang|"
    r"fella|bloke|geezer|woman|lady|a fella|a bloke|a woman|a lady|some fella|some bloke|"
    r"one of them|a man|a guy|a boy|a girl|a kid|man|mans|guy|boy|girl|kid|some guy|some man|gangs|"
    r"some boy|some girl|boys|men|guys|them|opps|the opps|mandem|people|this (?:guy|man|boy|girl)|"
    r"my (?:\w+ )?(?:mate|friend|bro|brother|cousin|sister|dad|mum|mums boyfriend|stepdad|uncle|ex|boyfriend|girlfriend)s?|"
    r"ma (?:da|dad|maw|mam|brother|sister|pal|mate|cousin|maws boyfriend|mams boyfriend)s?)"
)
# Someone who may have got in: "someone", "a man", "people".
INTRUDER = r"(?:someone|somebody|somone|sumone|some1|sum1|a man|a guy|a stranger|people|men)"
NOW = (
    r"(?:now|right now|rn|outside|ootside|at my (?:door|window|house|flat|school)|in my (?:house|flat|room|garden)|"
    r"downstairs|coming|on the way|behind me|near me|round the corner|still here|here)"
)
# Plain words that someone is hurt now, shared by the cues below.
HEAVY_BLEEDING = (
    r"(?:(?:squirting|spurting|gushing|pumping|pissing|pishing) (?:out |)(?:blood|everywhere|all over)|"
    r"keeps (?:squirting|spurting|gushing|pumping|pouring)|(?:its|it is|blood is|blood s|bloods) "
    r"(?:squirting|spurting|gushing|pumping|pouring) (?:out|everywhere)|"
    r"bleeding (?:loads|so much|everywhere|badly|heavily|a lot|"
    r"(?:dead|really|so|proper|well|mad|pure|very|rly) bad(?:ly)?)|"
    r"bleeding (?:\w+ ){0,3}from (?:my|me|ma|his|her|their|the) (?:neck|throat))"
)
CANT_WAKE = r"(?:cant|can not|cannot|wont) (?:wake|get) (?:him|her|them) up"
STRONG_NOW = (
    # (not "hes all right now", "we had to ring an ambulance", "someone was chasing me")
    r"(?:(?<!\ball )right now|rn|still bleeding|(?:im|i am|hes|he is|shes|she is|theyre|they are|is|are) bleeding|wont stop|"
    r"not breathing|help me now|asap|(?<!\bhad to )(?:call|ring|get|need|send|want) (?:an |a |)ambulance|at my door|"
    r"coming for me|(?<!\bwas )(?<!\bwere )chasing me|hes here|theyre here|still here|"
    r"(?:wont|will not|cant|not|isnt|aint) (?:wake up|waking up|moving|move|breathe|breathing|stopping)|"
    r"breathing (?:weird|funny|strange|badly)|(?:going|gone|turning|turned) (?:white|pale|grey|gray|blue|cold)|"
    r"passing out|losing (?:loads of |so much |a lot of )?blood|(?:is|s|are|re) dying|"
    r"(?:cant|can not|cannot|struggling to|wont) (?:keep|stay) (?:his|her|their|my|me) eyes open|"
    r"(?:cant|can not|cannot|couldnt) (?:stop (?:it|the|her|his|my|me) (?:bleeding|bleedin|blood)|get (?:it|the "
    r"bleeding|the blood) to stop)|"
    rf"{CANT_WAKE}|{HEAVY_BLEEDING}|this is real|its real now|"
    # "its still there", "the van is still behind us"
    r"(?:its|it is|hes|he is|shes|she is|theyre|they are|car is|cars|van is|vans|man is|mans) still (?:there|here|"
    r"outside|following|behind (?:me|us)|parked outside|waiting))"
)
# Someone hurt and not responding, in the present tense: "hes not moving", "she wont wake up".
UNRESPONSIVE = (
    r"(?:aint|isnt|is not|not|wont|will not|cant|can not|cannot|stopped) "
    r"(?:(?:moving|move)(?! (?:house|home|schools?|away|abroad|out|in with|to|areas?|flats?|on))|breathing|breathe|"
    r"waking up|wake up|responding|respond|talking|talk|getting up|get up|opening (?:his|her|their) eyes)"
)

# Medicines by name, often what an overdose is taken of: "swallowed all my sertraline".
DRUGS = (
    r"(?:sertraline|fluoxetine|citalopram|escitalopram|prozac|amitriptyline|mirtazapine|propranolol|diazepam|"
    r"valium|xanax|tramadol|morphine|oxycodone|insulin|aspirin|naproxen|lithium|quetiapine|melatonin|"
    r"iron tablets|anti ?depressants)"
)
# Medicines named in general, and signs around them, for the rules about pills taken that are
# written in several places below.
MEDICINES = (
    r"(?:pills|tablets|meds|medication|medicine|paracetamol|ibuprofen|painkillers|antidepressants)"
)
EMPTY_PACKETS = (
    r"empty (?:pill |tablet |paracetamol |medicine |meds |)(?:boxes|packets|packet|box|bottles|bottle|"
    r"blister packs?|strips)"
)
SWALLOWED_SOMETHING = r"(?:swallowed|taken|took|necked|downed) (?:something|summat|sumthing|pills|tablets|them|it all)"
# An overdose or poison taken: an ambulance is needed (an emergency rule) and, as it is most
# often done on purpose, a helpline too (a crisis rule).
OVERDOSE = [
    r"\b(?:ive |i have |i |just |she |he |shes |hes |theyve |they |my \w+ |s |has |have |)"
    r"(?:overdosed|od d|oded|taken an overdose|took an overdose|had an overdose)\b",
    r"\b(?:taken|took|swallowed|swallowing|necked|downed|had|ate|eaten|injected|injecting) (?:like |about |"
    r"around |over |)"
    r"(?:all (?:of )?(?:my|the|her|his|mums?|dads?)|a (?:whole|full) (?:packet|box|bottle)|(?:a )?(?:load|loads|lots|bunch) of|"
    # a number of them: five or more ("took 2 paracetamol for my headache" is a normal dose)
    r"too many|[5-9]|[1-9]\d+|twenty|thirty|fifty|a handful of|handfuls of)"
    r"(?: (?:of )?(?:my|the|her|his|mums?|dads?))?(?: \w+)? "
    r"(?:pills|tablets|paracetamol|ibuprofen|painkillers|sleeping pills|sleeping tablets|antidepressants|"
    rf"meds|medication|medicine|co codamol|codeine|{DRUGS})\b",
    r"\b(?:drank|drunk|swallowed|drinking|necked|downed) (?:some |a bottle of |the |)"
    r"(?:bleach|cleaning stuff|cleaning products?|cleaner|antifreeze|weed killer|poison|"
    r"dettol|floor cleaner|washing up liquid|toilet cleaner)\b",
    # a bottle or a packet of pills, or all of them: "had half a bottle of pills", "taken my
    # sleeping tablets... all of them"
    r"\b(?:had|took|taken|swallowed|swallowing|necked|downed|ate|eaten) (?:like |about |around |over |nearly |"
    r"almost |)(?:half|a whole|a full|all|most|the rest) (?:of )?(?:a |the |my |his |her |me |mums? |dads? |nans? |)"
    r"(?:bottle|packet|pack|box|strip|tub|blister pack|sheet|tube)s? (?:of )?(?:\w+ )?(?:pills|tablets|meds|"
    r"medication|medicine|paracetamol|ibuprofen|painkillers|antidepressants|sleeping pills|sleeping tablets|"
    r"codeine|co codamol)\b",
    r"\b(?:had|took|taken|swallowed|necked|downed) (?:my |his |her |their |the |me |mums? |dads? |nans? |grans? |)"
    r"(?:\w+ ){0,2}(?:pills|tablets|meds|medication|medicine|paracetamol|painkillers|antidepressants) "
    r"(?:\S+ ){0,4}?(?:all of (?:them|em|it)|the (?:whole|full) (?:lot|box|packet|bottle))\b",
    # "i swallowed all the pills i could find"
    r"\ball (?:the )?(?:tablets|pills|meds|medicine|medication|painkillers)s? (?:i|we|he|she|they) (?:could |can |)"
    r"(?:find|found|had|have|got)\b",
    # "necked a box of pills", "i take my dad medicine whole box"
    r"\b(?:swallowed|necked|downed|ate|eaten)\b(?: \w+){0,5}? (?:a |an |)(?:packet|pack|box|bottle|tub|strip|sheet) "
    rf"(?:of )?(?:\w+ ){{0,3}}{MEDICINES}\b",
    rf"\b(?:took|taken|take|swallowed|necked|had|ate) (?:\w+ ){{0,3}}{MEDICINES} (?:the |a |)(?:whole|full|entire) "
    r"(?:box|packet|pack|bottle|lot|strip)\b",
    # "took the whole box" (not "of chocolates", not "home")
    r"\b(?:took|taken|swallowed|necked|downed) (?:the |a |)(?:whole|full|entire) (?:box|packet|pack|bottle|strip)\b"
    rf"(?! (?:to|home|with|back|round|in|into|out|off|from|of (?!(?:\w+ )?{MEDICINES})))",
]

# Something tied round the neck, or an attempt to hang: 999 and a helpline. A scarf or a tie is
# worn there every day, and a dog's lead is put round "his" neck, so they are not in it.
LIGATURE = (
    r"\b(?:tied|tying|tightened|tightening) (?:a |the |some |)(?:something|summat|smth|rope|belt|cord|cable|wire|"
    r"string|dressing gown cord|ligature) (?:round|around) (?:his|her|my|their|me|ma) (?:own )?neck\b|"
    r"\bligatures?\b|\b(?:tried|trying|try|tries) (?:to|tae|2) hang (?:himself|herself|myself|themselves|meself)\b|"
    r"\b(?:tried|trying|try|tries) (?:to|tae|2) (?:strangle|choke|suffocate|smother) "
    r"(?:himself|herself|myself|themselves)\b"
)

# A cut to an arm or a leg, and feeling faint: said together, someone is hurt now.
CUT_LIMB = r"(?:cut|slashed|sliced|slit) (?:my|his|her|me|ma|their) (?:arm|arms|wrist|wrists|leg|legs|thigh|thighs)"
FAINT = r"(?:dizzy|faint|lightheaded|light headed)"

# Up to 25 words in between, tried word by word: bounded, so that a rule costs little on a long
# message (an unbounded ".*" is tried again, character by character, after every earlier match).
GAP = r"\S*(?: \S+){0,25}? "

# Someone up high now who does not want to come down: a helpline and 999.
ON_THE_EDGE = (
    r"\bon (?:top of |the top of |the edge of |the ledge of |)(?:the |a |)(?:\w+ )?(?:roof|multi ?storey|"
    rf"car park|bridge|ledge|cliff|tower block)\b{GAP}\b(?:dont|do not|not|wont|never|cant) "
    r"(?:wanna |want to |going to |gonna |)(?:come down|get down|be here|live|climb down)\b"
)

# Someone up high now who speaks of ending it: "im on the bridge rn and i want it all to end".
UP_HIGH = (
    r"(?:(?:im|i am|were|we are|hes|shes|he is|she is) (?:stood |standing |sat |sitting |)|(?:^|\bnow )"
    r"(?:stood|standing|sat|sitting) )on "
    r"(?:top of |the top of |the edge of |the edge at |)(?:the |a )(?:\w+ )?(?:roof|multi ?storey|bridge|ledge|cliff|"
    r"tower block|car park roof|quarry|viaduct|pier|harbour wall|sea wall|dam|railway bridge|motorway bridge)|"
    r"(?:^|\b(?:im|i am|hes|shes|he is|she is|now) )(?:stood |standing |sat |sitting |)on the edge(?: (?:of|at) "
    r"(?:the |a )(?:\w+ )?(?:\w+))?"
)
ENDING = (
    r"(?:end it|end it all|all to end|it all to end|kill myself|jump|die|not be here|goodbye|"
    r"(?:dont|do not) want to (?:be here|live|be alive))"
)

# Foods that cause allergic reactions, and a part of the body said to swell: an allergy rule
# reads them either way round.
ALLERGEN_FOOD = r"(?:nut|nuts|peanut|peanuts|satay|sesame|shellfish|prawns?)"
SWELLING_PART = r"(?:throat|tongue|lips?|face|mouth) (?:is |s |are |re |feels |feel |)(?:\w+ )?"
# A heart attack: chest pain, and an arm or jaw gone numb, or sweat (not breath alone: "my
# chest hurts after running, cant catch my breath").
CHEST_PAIN = (
    r"(?:chest|chests) (?:is |s |feels |feel |has |)(?:\w+ )?(?:tight|tightening|pain|pains|hurting|hurts|"
    r"crushing|crushed|heavy|squeezing|squeezed|killing)|(?:pain|pains|tightness|crushing) in (?:my|his|her|their|me|ma) chest"
)
HEART_SIGN = (
    r"(?:left |)(?:arm|arms|jaw) (?:is |s |has |have |)(?:gone |going |feels |feel |)(?:all |really |proper |)"
    r"(?:dead|numb|tingly|tingling|heavy|weird)|(?:sweating|sweaty|clammy|grey|gray)"
)
# A stroke: speech or an arm that fails, and the face or arm that shows it, either way round.
STROKE_SPEECH = r"(?:cant|can not|cannot) (?:get (?:his|her|their) words out|speak properly|lift (?:his|her|their) arm)"
STROKE_SIGN = r"(?:face|arm|droop\w*|one side)"

# A body in danger whatever the words around it: an overdose or poison taken, a seizure,
# someone who cannot be woken. The classifier may doubt these (the 999 line then goes above
# the answer) but never overrules them: "drank bleach by mistake" is rare in everyday talk,
# and the words around it ("by mistake") are not.
MEDICAL = [
    *OVERDOSE,
    ON_THE_EDGE,
    rf"\b{UP_HIGH}\b{GAP}\b{ENDING}\b",
    rf"\b{ENDING}\b{GAP}\b{UP_HIGH}\b",
    r"\b(?:drank|drunk|drinking|swallowed|swallowing|ate|eaten|bit into|bitten into|chewed|necked|"
    r"downed) (?:some |a bit of |a bottle of |a cup of |the |a |an |a whole |all the |"
    r"one of (?:the |those |them |my |his |her |)|)(?:\w+ ){0,3}"
    r"(?:bleach|weed ?killer|sheep dip|pesticide|rat poison|slug pellets|antifreeze|poison|"
    r"chemicals?|cleaning (?:stuff|products?|spray|liquid)|cleaner|dettol|toilet cleaner|"
    r"floor cleaner|oven cleaner|drain cleaner|washing (?:pods?|tablets?|capsules?)|"
    r"dishwasher tablets?|laundry (?:pods?|capsules?)|button batter(?:y|ies)|batter(?:y|ies)|"
    r"magnets|white spirit|paraffin|petrol|lighter fluid|sheep drench|drench|screenwash|screen wash)\b",
    # something from the cleaning cupboard, or taken for a drink: "my brother drink the blue
    # liquid from under sink", "drank something thinking it was juice"
    rf"\b(?:drank|drunk|drink|drinks|drinking|swallowed|swallow|swallowing|ate|eaten|eat|had)\b{GAP}"
    r"(?:from |out of |out |)(?:under (?:the |our |)sink|the cleaning cupboard|the cupboard under the sink)\b|"
    rf"\b(?:drank|drunk|drink|swallowed|ate|eaten|had)\b{GAP}\b(?:thinking|thought|thinkin) "
    r"(?:it was|its|it were) (?:juice|water|pop|squash|lemonade|a drink|drink|sweets?|sweeties|a sweet|milk)\b",
    # medicines taken all at once: "took everything in the medicine cupboard"
    r"\b(?:took|taken|swallowed|necked|had|ate) (?:everything|all the \w+|all the stuff|the lot|whatever was) "
    r"(?:in|from|out of) (?:the |my |our |mums |dads |)(?:medicine|bathroom|first aid|pill) "
    r"(?:cupboard|cabinet|box|drawer|tin)\b",
    r"\b(?:swallowed|took|taken|necked) (?:everything|all the \w+|the lot|whatever was) (?:in|from|out of) "
    r"(?:the |my |our |mums |dads |)(?:cupboard|cabinet|drawer)\b",
    # blue lips, or someone who collapsed and does not answer
    r"\b(?:lips|face) (?:is |are |r |s |)(?:going |gone |turning |turned |all |)(?:blue|purple|grey|gray)\b"
    r"(?! from| cos| coz| because| after (?:the|a|my|that) (?:slush|ice|swim|sweet|lolly|sea))",
    rf"\b(?:collapsed|collapse|collapses|fainted|faint|fell down|fallen down)\b{GAP}\b(?:not|isnt|wont|cant|"
    r"doesnt|dont|aint|is not|will not) (?:answer|answering|respond|responding|wake|waking|talk|talking|"
    r"move|moving|breathe|breathing|open (?:his|her|their) eyes)\b",
    r"\b(?:cant|can not|cannot|wont|will not|couldnt|could not) (?:wake|get) "
    r"(?:him|her|them|\w+|my \w+|me \w+|our \w+) (?:up|to wake up)\b(?! for| in time| early)",
    r"\bseizure\b(?!s? (?:in|on) (?:the|a|my) (?:game|film|show))",
    # a bad burn: "a full pan of fryer oil down his arm", "pulled the kettle ower hersel"
    rf"\b(?:pulled|knocked|tipped|spilt|spilled) (?:a |the )?(?:boiling |hot |full |)(?:kettle|pan|chip pan)\b{GAP}"
    r"\b(?:over|ower|on|down|doon) (?:his|her|my|their|him|her|me|himself|herself|hersel|himsel)\b|"
    r"\b(?:skin|skins|it|burn) (?:is |s |)(?:blistering|(?:all |)(?:peeling|coming) (?:right |all |)off|all white|charred|"
    r"all peeling|all blistered)\b|"
    r"\b(?:skin|skins|burn) (?:has |s |is |)(?:gone|going|turned) (?:all |really |)(?:white|charred|black|leathery)\b",
    rf"\b(?:boiling|hot) (?:water|oil|fat|soup|tea|kettle)\b{GAP}\b(?:blistered|blistering|blisters|peeling|"
    r"white|red raw|skin coming off)\b",
    # a knife gone into someone: "the knife has gone right into my hand"
    rf"\b{KNIFE}\b(?: \w+){{0,3}} (?:gone|went|go|stuck|sticking|is) (?:right |straight |all the way |deep |)"
    r"(?:in|into|through) (?:my|his|her|their|me|him|them) (?:\w+ )?(?:hand|arm|leg|foot|finger|thumb|"
    r"stomach|belly|side|back|chest|thigh|shoulder|neck|palm|wrist)s?\b",
    # clothes or skin on fire: "her hand caught fire"
    r"\b(?:hand|hands|arm|arms|clothes|top|jumper|dress|sleeve|leg|legs|face|he|she|i|they)\b"
    r"(?: \w+){0,2} (?:caught|catched|set|went up) (?:on |in |)(?:fire|alight|flames)\b(?! to\b)",
    rf"\b(?:beaten|beat up|battered|kicked in|stamped on|hit with|hit over|attacked)\b{GAP}\b(?:drowsy|"
    r"cant stay awake|not making sense|confused|keeps falling asleep|keeps passing out|cant keep (?:his|her|their) eyes open)\b",
    rf"\btried (?:to|tae|ta|2) (?:end it|kill myself|end my life|take my life|overdose|od)\b{GAP}\b(?:now|"
    r"dizzy|sick|cold|sleepy|drowsy|weird|numb|bleeding|cant breathe)\b",
    # an allergic reaction: "got stung and my throat is swelling up", "ate a nut and cant breathe",
    # "a spider bit me and now my chest is tight, i cant breathe"
    rf"\b(?:stung|sting|bee|wasp|bit (?:me|him|her|them|us)|bitten|{ALLERGEN_FOOD}|allergic|allergy|epi ?pen)\b"
    rf"{GAP}\b(?:{SWELLING_PART}(?:swelling|swollen|closing|tight|puffing up)|"
    r"(?:cant|can not|cannot|struggling to|can hardly) (?:breathe|breath)|gasping|wheezing|anaphyla\w*|"
    r"collapsed|passed out|fainted)\b",
    # ...and said the other way round: "his face is swelling up after he ate a satay thing"
    rf"\b{SWELLING_PART}(?:swelling|swollen|closing|puffing up)\b{GAP}"
    rf"\b(?:ate|eaten|eating|stung|sting|{ALLERGEN_FOOD}|allergic|allergy)\b",
    # not breathing now, or choking: "she choked on a grape and shes going purple"
    r"\b(?:(?:hes|shes|theyre|he is|she is|they are|is|s|are|re) not|isnt|aint|stopped|has stopped) breathing\b",
    rf"\b(?:choked|choking)\b{GAP}\b(?:not breathing|cant breathe|going (?:blue|purple|grey)|turning (?:blue|purple|grey)|"
    r"passed out|gone limp)\b",
    # someone on the floor who does not move: "i can see her on the floor not moving"
    rf"\b(?:on the floor|collapsed|passed out|slumped)\b{GAP}\b(?:not moving|wont wake|not breathing|not responding)\b",
    # unconscious now: "she drank a whole bottle of vodka and shes unconscious"
    r"\b(?:is|s|shes|hes|theyre|are|she is|he is|they are|now) (?:\w+ )?(?:unconscious|unresponsive|out cold)\b",
    # someone who cannot stay awake or has a head injury and is confused
    r"\b(?:cant|can not|cannot|struggling to|wont) (?:keep|stay) (?:his|her|their|my|me) eyes open\b|"
    r"\b(?:cant|can not|cannot|struggling to) stay awake\b",
    rf"\b(?:hit|smacked|banged|cracked|bashed) (?:his|her|their|my|ma|me) head\b{GAP}\b(?:not making sense|"
    r"aint (?:talking|talkin|making) sense|talking nonsense|talking rubbish|talking gibberish|confused|being sick|"
    r"been sick|throwing up|boking|bokin|spewing|drowsy|passed out|knocked out|wont wake|cant remember|"
    r"seeing double|seein double|double vision)\b",
    # someone else took tablets and is going to sleep: "swallowed some of nans tablets, shes gone
    # really sleepy"
    rf"\b(?:swallowed|taken|took|ate|eaten|had|got into) (?:\w+ ){{0,4}}{MEDICINES}\b{GAP}"
    r"\b(?:(?:gone|going|getting|is|s|looks|seems) (?:really |very |"
    r"all |proper |dead |so |a bit |)(?:sleepy|drowsy|floppy|dozy|limp)|(?:speech|words) (?:is |are |s |)"
    r"(?:slurred|slurring)|slurring)\b",
    # barely breathing: "his mum found him and hes barely breathing"
    r"\b(?:barely|hardly|only just|not properly|not really) (?:breathing|breathin)\b",
    # something swallowed and a note left: "she swallowed something, note on bed saying sorry mum"
    rf"\b{SWALLOWED_SOMETHING}\b{GAP}\b(?:note|notes|letter|goodbye|sorry mum|sorry dad|sorry mam)\b|"
    rf"\b(?:note|letter|goodbye)\b{GAP}\b{SWALLOWED_SOMETHING}\b",
    # blood under a locked door: "locked in the bathroom, blood under the door"
    r"\bblood (?:coming |seeping |leaking |)(?:under|through|from under|round) the (?:\w+ )?door\b",
    r"\b(?:took|taken|swallowed|necked|had) (?:some |a load of |loads of |)(?:pills|tablets) "
    r"(?:with|and|an|n) (?:vodka|alcohol|drink|booze|wine|beer|cider)\b",
    r"\b(?:fitting|(?:having|had|took|taken|taking|takin) (?:a |)(?:fit|seizure))\b.*\b(?:floor|shaking|"
    r"jerking|wont stop|not stopping|foaming|epilep\w*|unconscious|breathing)\b",
    # ...and said the other way round: "shes shaking on the floor like fitting"
    rf"\b(?:shaking|jerking|twitching|foaming|on the floor)\b{GAP}\b(?:fitting|having a seizure)\b",
    # someone who cannot be woken, said without "up": "i cannae wake her properly"
    r"\b(?:cant|can not|cannot|couldnt|could not) wake (?:him|her|them|my \w+|me \w+|our \w+)\b"
    r"(?! up)(?! for| in time| early| on time| at)",
    # a child into the medicines: "hes got into mums meds", "thought they were sweeties"
    r"\b(?:got into|been into|been in|got hold of|into) (?:my |his |her |the |our |mums |dads |nans |grans |"
    r"me mums |me |ma |mams |mam s |mum s )?(?:\w+ )?(?:meds|medication|tablets|pills|painkillers|paracetamol)\b",
    rf"\b(?:drank|drunk|swallowed|ate|eaten|had|took|taken)\b{GAP}\b(?:thinking|thought|thinkin) "
    r"(?:they were|they was|theyre|they are|them was) (?:sweets|sweeties|sweetie|candy|smarties|skittles|mints|"
    r"vitamins|juice|pop|drinks?|ket|kets)\b",
    # taken something not to wake up: "took sum stuff so i wouldnt wake up"
    r"\b(?:took|taken|had|swallowed|necked|downed) (?:some |sum |summat |something |stuff |sum stuff |"
    r"some stuff |loads |a load |pills |tablets |meds |)\S*(?: \S+){0,6}? "
    r"(?:so|to|cos|coz|because|hoping|so that) (?:i|id|i would|that i|he|she|hed|shed) "
    r"(?:wouldnt|would not|dont|do not|never|wont|will not|didnt) wake (?:up|again)\b",
    # something tied round the neck: "he tied something round his neck", "tried to hang herself"
    LIGATURE,
    # medicine taken on purpose: "ive taken my brothers medication on purpose"
    r"\b(?:taken|took|swallowed|had|necked) (?:my |his |her |their |mums |dads |brothers |sisters |nans |grans |"
    r"the |some |a lot of |loads of |)(?:\w+ )?(?:pills|tablets|meds|medication|medicine|paracetamol|painkillers|"
    r"antidepressants|sleeping pills|insulin)\b(?: \w+){0,3} on purpose\b",
    # tablets taken, and how the person is now: "took tablets last night, shes slurring her words"
    rf"\b(?:took|taken|swallowed|had|overdosed)\b{GAP}\b(?:pills|tablets|meds|medication|an overdose|paracetamol)\b"
    rf"{GAP}\b(?:slurring|slurred|cant stay awake|keeps? falling asleep|being sick|throwing up|gone yellow|"
    r"turning yellow|heart (?:is |s )?(?:racing|pounding)|cant breathe|confused|shaking)\b",
    # a fit said by how it looks: "shakin all over on the floor like a fit", "his eyes rolled back"
    rf"\b(?:shaking|jerking|twitching|on the floor)\b{GAP}\blike (?:a |hes having a |shes having a |)fit\b",
    r"\b(?:(?:his|her|their) eyes (?:are |have |)|(?<!my )(?<!me )(?<!ma )(?<!i )eyes (?:are |have |)(?:all |))"
    r"(?:rolled|rolling|rolled right|gone) (?:back|up)\b(?! (?:at|when|cos|because|so hard))",
    # a cut that leaves them faint, either way round: "cut my arm n im that dizzy"
    rf"\b{CUT_LIMB}\b{GAP}\b(?:{FAINT}|blacking out|going white|passing out)\b",
    rf"\b{FAINT}\b{GAP}\b{CUT_LIMB}\b",  # The kinds of emergency on first-aid courses' "call 999" lists, each said in more than one
    # way (written from those lists, not from one writer's message):
    # poison from the garage or the bathroom cabinet: "drank some drain unblocker"
    r"\b(?:drank|drunk|drinking|swallowed|swallowing|ate|eaten|necked|downed|had) (?:some |a bit of |a bottle of |"
    r"a cup of |the |a |an |a whole |all the |)(?:\w+ ){0,2}(?:unblocker|descaler|caustic soda|thinners?|turps|"
    r"turpentine|meths|methylated spirits?|nail (?:varnish|polish) remover|acetone|e ?liquid|vape (?:juice|liquid)|"
    r"fabric softener|mould remover|limescale remover|toilet blocks?|rat bait|fertili[sz]er|plant food)\b",
    # gas or fumes, and someone who is affected: "can smell gas and hes gone all dozy"
    rf"\b(?:smell|smells|smelling|smelt|stinks? of|reeks? of|leak|leaking|leaked) (?:of )?(?:gas|fumes)\b{GAP}"
    r"\b(?:dozy|drowsy|sleepy|floppy|wont wake|cant wake|wont answer|not answering|not responding|passed out|"
    r"collapsed|unconscious|confused|out of it|fainted|cant breathe)\b|"
    rf"\bcarbon monoxide\b{GAP}\b(?:dozy|drowsy|sleepy|floppy|wont wake|cant wake|passed out|collapsed|"
    r"unconscious|confused|headache|dizzy|sick|fainted)\b",
    # someone else took pills and now does not answer: "she's took her mams pills, now she's not
    # answering owt"
    r"\b(?:she|he|they|shes|hes|theyve|theyre|she has|he has|they have|she s|he s|my \w+|my \w+ has|me \w+) "
    rf"(?:just |already |)(?:took|taken|take|swallowed|necked|downed) (?:\w+ ){{0,4}}{MEDICINES}\b{GAP}"
    r"\b(?:not|isnt|wont|aint|stopped|doesnt|not been) "
    r"(?:answering|answer|replying|reply|responding|respond|picking up|pick up)\b",
    # empty packets of pills, and a goodbye or no answer: "sent pic of empty pill boxes, shes
    # not answering"
    rf"\b{EMPTY_PACKETS}\b{GAP}\b(?:not answering|isnt answering|wont answer|not replying|not picking up|goodbye|"
    rf"bye)\b|\b(?:goodbye|bye)\b{GAP}\b{EMPTY_PACKETS}\b",
    # drowsy and not answering, either way round: "gone all dozy and wont answer me"
    rf"\b(?:dozy|drowsy|floppy|limp|out of it|zonked)\b{GAP}\b(?:wont|will not|not|isnt|aint|cant|doesnt) "
    r"(?:answer|answering|respond|responding|wake|waking)\b"
    r"(?! (?:my |me |his |her |the |)(?:texts?|messages?|calls?|phone|dms?|snaps?|door))",
    # choking, said by what it looks like: "cant breathe, he was eating a sweet and hes gone blue"
    rf"\b(?:cant|can not|cannot|struggling to) (?:breathe|breath)\b{GAP}\b(?:eating|ate|swallowed|stuck in "
    r"(?:his|her|my|their|me) throat|(?:gone|going|turning|turned) (?:a |)(?:bit |funny |weird |really |all |)"
    r"(?:blue|purple|grey|gray))\b|"
    rf"\b(?:stuck in (?:his|her|their|my|me) throat|(?:eating|ate|swallowed) (?:a |an |the |some |)(?:\w+ )?"
    rf"(?:sweet|grape|sausage|coin|button|bit of \w+|piece of \w+))\b{GAP}\b(?:cant breathe|not breathing|"
    r"(?:gone|going|turning|turned) (?:a |)(?:bit |funny |weird |really |all |)(?:blue|purple|grey|gray)|gasping)\b",
    r"\b(?:hes|shes|theyre|he is|she is|they are|he has|she has|they have|theyve|baby is|baby has|babys|baby s) "
    r"(?:gone|going|turning|"
    r"turned) (?:a |)(?:bit |funny |weird |really |proper |all |dead |)(?:blue|grey|gray|purple)\b"
    r"(?! in the face)(?! (?:from|cos|coz|because|after|with))",
    # a cut and blood coming out fast: "cut his hand on glass n its squirtin out everywhere"
    rf"\b(?:cut|cuts|sliced|slashed|gashed|stabbed|split|ripped|caught)\b{GAP}\b{HEAVY_BLEEDING}\b",
    # lips gone blue: "his lips have gone blue"
    r"\b(?:lips|lip) (?:have |has |are |is |)(?:gone|going|turned|turning) (?:a |)(?:bit |funny |weird |really |all |"
    r"proper |dead |)(?:blue|grey|gray)\b(?! from )(?! (?:cos|coz|because) of )",
    # a burn gone white or blistered: "burnt me whole arm on the chip pan its gone all white and blistered"
    rf"\b(?:burnt|burned|burns|burn|scalded|scald)\b{GAP}\b(?:gone|going|turned|its|skin is|skins) (?:all |really |)"
    r"(?:white|blistered|black|charred|leathery)\b",
    # crushed or pinned, and cannot breathe: "the bull has crushed him against the gate and he can
    # hardly breathe"
    rf"\b(?:crushed|crushing|pinned|trapped|squashed)\b{GAP}\b(?:cant|can not|cannot|can hardly|can barely|"
    r"struggling to) (?:breathe|breath|get (?:his|her|their|my) breath)\b",
    # a diabetic who is confused or does not answer: "shes diabetic, sweating and talking strange"
    rf"\b(?:diabetic|diabetes|hypo|blood sugar)\b{GAP}\b(?:not answer|not answering|not responding|wont wake|cant wake|"
    r"talking (?:strange|funny|weird|nonsense|rubbish)|not making sense|slurring|collapsed|passed out|fainted|"
    r"unconscious|confused|fitting)\b",
    # a fall with a broken bone or someone who cannot get up: "fallen down the stairs, cant get up"
    rf"\b(?:fell|fallen|had a fall|fall|falls|slipped|tripped)\b(?! asleep| for| out| behind| in love| apart){GAP}"
    r"\b(?:(?:cant|can not|cannot|couldnt|wont|unable to) (?:get up|stand up|move (?:my|his|her|their|me) "
    r"(?:legs?|neck)|feel (?:my|his|her|their|me) legs)|(?:broke|broken|snapped|cracked) (?:my|his|her|their|me) "
    r"(?:hip|neck|back|spine|leg|pelvis|skull)|not moving|hit (?:his|her|their|my) head)\b",
    r"\b(?:bone|bones) (?:is |are |s |)(?:sticking out|poking out|showing|showin|through (?:the|his|her|my) skin)\b|"
    r"\b(?:can see|you can see|i can see) (?:the |his |her |my |me |)bone\b",
    # a heart attack: chest pain and an arm or jaw that goes numb, or sweat, either way
    # round ("my chest is really tight and my left arm has gone dead"), or someone who thinks one
    # is happening ("i think my dad is having a heart attack"; not "mums having a heart attack
    # over my hair", nor "nearly gave me a heart attack")
    rf"\b(?:{CHEST_PAIN})\b{GAP}\b(?:{HEART_SIGN})\b|\b(?:{HEART_SIGN})\b{GAP}\b(?:{CHEST_PAIN})\b",
    r"\b(?:think|thinks|reckon) (?:\w+ ){1,3}(?:having|havin) a heart attack\b"
    r"(?! (?:at|over|when|cos|coz|because|lol|haha|if|about))",
    # a fit that goes on: "having a fit, been going over 5 minutes"
    rf"\b(?:fitting|(?:having|havin|had|gone into|went into|in) a (?:fit|seizure)(?! of)|seizure|convulsing|convulsions)\b"
    rf"{GAP}\b(?:(?:been going|going on|lasted|lasting|"
    r"for|over|more than|longer than|past) (?:for |on |)(?:over |more than |nearly |about |like |)"
    r"(?:5|five|[6-9]|six|seven|eight|ten|[1-9][0-9]) ?(?:mins?|minutes?)|(?:another|second|third) (?:one|fit|seizure))\b",
    # a stroke: "her face has gone all droopy on one side", "cant get his words out, his arm is weak"
    r"\b(?:face|mouth|smile) (?:is |has |s |)(?:gone |going |)(?:all |a bit |)(?:droopy|drooping|dropped|lopsided|"
    r"wonky|slanted)(?: (?:on|down) one side)?\b(?! (?:in|on) (?:the|a|my|her|his) (?:photo|pic|picture|selfie|filter))",
    rf"\b{STROKE_SPEECH}\b{GAP}\b(?:{STROKE_SIGN}|stroke)\b|\b{STROKE_SIGN}\b{GAP}\b{STROKE_SPEECH}\b",
    # something taken at a party, and the body now: "took something, shes roasting hot and twitching"
    rf"\b(?:took|taken|had|dropped|necked|swallowed) (?:something|a pill|pills|a tab|some pills|mandy|md|mdma|ket|"
    rf"ketamine|spice|molly|ecstasy|xanax|a bean|some stuff)\b{GAP}\b(?:roasting|burning up|overheating|twitching|"
    r"fitting|cant wake|wont wake|not waking|eyes rolling|foaming|not breathing|heart racing|collapsed|passed out)\b",
    # a limb the wrong way: "my arm is bent the wrong way"
    r"\b(?:arm|arms|leg|legs|ankle|knee|wrist|elbow|shoulder|foot|neck) (?:is |s |are |has |)(?:gone |)(?:bent|twisted|"
    r"facing|pointing|turned|going|gone) (?:all |)(?:the |)wrong (?:way|direction)\b",
    # a head injury and how the person is: "no helmet, hes confused and keeps asking the same question"
    rf"\b(?:head|helmet|bike|fell|fall|fallen|knocked|hit|whacked|smacked|banged)\b{GAP}\b(?:keeps? asking the same|"
    r"asking the same (?:thing|question) over|pupils (?:are |look |)(?:different|odd|uneven|not the same)|"
    r"doesnt know where (?:he|she|they) (?:is|are)|dont know where (?:he|she|they) (?:is|are)|"
    r"(?:clear|watery) (?:fluid|stuff) (?:coming )?(?:out of|from) (?:his|her|their) (?:nose|ear|ears))\b",
    # something drunk from the shed or the garage, and sick now: "drank something out the shed,
    # hes being sick"
    rf"\b(?:drank|drunk|swallowed|ate|eaten|had|drinking)\b(?: \S+){{0,4}} (?:out (?:of )?|from |in )(?:the |our |my |a |"
    rf"his |her |)(?:\w+ )?(?:shed|garage|barn|van|bottle|tub|tin|jerry can|container|cupboard)\b{GAP}\b(?:being sick|been sick|bein sick|"
    r"throwing up|vomiting|puking|foaming|cant breathe|drowsy|sleepy|burning|burns|screaming|wont wake)\b",
    # an electric shock, and someone down: "got a shock off the kettle lead, shes on the floor"
    rf"\b(?:electric shock|electrocuted|got a shock|a shock off|shock from)\b{GAP}\b(?:on the floor|not answering|"
    r"wont answer|not moving|not breathing|unconscious|passed out|collapsed|wont wake|cant wake|knocked out)\b",
    # someone down who does not answer: "shes on the kitchen floor and not answering me"
    rf"\b(?:on the (?:\w+ )?floor|collapsed|passed out|slumped|lying there)\b{GAP}\b(?:not|isnt|wont|aint|doesnt) "
    r"(?:answering|answer|responding|respond)\b(?! (?:my |me |his |her |the |)(?:texts?|messages?|calls?|phone|dms?))",
    # fumes or smoke, and breathing: "the chlorine alarm is going off, cant breathe"
    rf"\b(?:gas|fumes|smoke|chlorine|chemicals?)\b{GAP}\b(?:cant|can not|cannot|struggling to|hard to|hurts to) "
    r"(?:breathe|breath)\b",
    # how many pills nobody knows: "ate some tablets from mums bag, i dont know how many", "took
    # pills. idk how many" (not "not sure how many youre meant to take")
    rf"\b(?:pills|tablets|meds|medicine|medication|paracetamol|painkillers)\b{GAP}\b(?:dont|do not|didnt|not sure|"
    r"no idea|cant tell|dunno|idk|lost count of) (?:know )?how many\b"
    r"(?! (?:youre|you are|your|you|u|ur|im|i am|i m|were|we are|we re|one|people|kids|someone) "
    r"(?:meant|supposed|allowed|can|should|could|need|is|are))|"
    rf"\b(?:dont|do not) know how many (?:pills|tablets|meds|paracetamol|painkillers|(?:he|she|they|i) (?:took|had|ate|"
    r"swallowed|take|eat))\b",
    rf"\b(?:pills|tablets|meds|medicine)\b{GAP}\b(?:he|she|they|i)(?: \w+)? (?:think|thinks|thought|thinking) "
    r"(?:it|they|them|its|theyre) (?:is |are |was |were |)(?:sweets?|sweeties|candy|smarties|vitamins)\b",
]

# Stabbed, in slang or not, and asking for help: "i got wet up i need help". A rule, and plain
# words of harm that the classifier never drops.
STABBED_HELP = (
    rf"\b(?:got|been|just got|get|getting) (?:wet up|wetted|cheffed|chefed|chefd|opened up|shanked|stabbed)\b{GAP}"
    r"\b(?:i need help|need help|help me|pls help|please help|plz help|ambulance|bleeding|blood)\b"
)
EMERGENCY_INJURY = [
    r"\b(?:still|wont stop|not stop|cant stop|keeps?|wont stop) (?:it |the |him |her |)(?:bleeding|bleding|bleedin)\b|"
    r"\b(?:bleeding|bleding|bleedin) (?:loads|so much|everywhere|bad|badly|heavily|out|a lot)\b|"
    r"\b(?:bleed out|bleeding out|bleed loads|bleed bad)\b",
    r"\b(?:its|it is|blood is|blood s) (?:pouring|gushing|spurting) out\b",
    # a wound that goes on: "ive cut myself and its not stopping", "a gash, its proper pouring"
    rf"\b(?:cut|cuts|wound|gash|sliced|slashed|stab|stabbed|bleeding|blood|razor|hurt myself)\b{GAP}"
    r"\b(?:its|it is|it s|it|blood is|and) (?:proper |really |still |just |)"
    r"(?:pouring|gushing|spurting|not stopping|wont stop|will not stop|wont close|not closing)\b"
    r"(?! (?:hurting|aching|stinging|itching|throbbing))",
    r"\bstab (?:wound|in (?:his|her|my|the|their) \w+)\b",
    # a finger or a thumb cut off
    r"(?<!nearly )(?<!almost )(?<!practically )(?<!basically )(?<!could have )(?<!couldve )\b(?:chopped|cut|sliced|ripped|torn|took) (?:the (?:top|tip|end) (?:off |of )|)(?:his|her|my|their|me|ma) "
    r"(?:finger|thumb|toe)s?(?: \w+)? (?:right |clean |straight |)off\b",
    # hit by a vehicle: "my mate got hit by a train"
    r"\b(?:hit|knocked over|knocked down|run over|ran over) by (?:a |the |)(?:train|car|bus|van|lorry|truck|"
    r"motorbike|moped|scooter)\b",
    # bleeding from somewhere that matters, or through what is pressed on it
    r"\b(?:bleeding|bleedin)\b(?: \w+){0,3} from (?:my|me|ma|his|her|their) (?:neck|throat|chest|stomach|belly|head|"
    r"back|side|leg|groin)\b",
    r"\b(?:soaking|soaked|seeping|bleeding|bleedin|coming) through (?:the |my |his |her |a |me )?(?:\w+ )?"
    r"(?:jumper|towel|top|shirt|bandage|hoodie|tshirt|t shirt|dressing|tea towel)\b|\bits soaking through\b",
    # "i got wet up i need help"
    STABBED_HELP,
    r"\b(?:cut|slit|slashed|sliced) (?:his|her|their|my|me) (?:own )?wrists?\b",
    # a burn: "a full pan of fryer oil down his arm" (a kettle pulled over, or skin that
    # blisters, is a MEDICAL rule)
    rf"\b(?:boiling|hot|fryer|chip pan|burning) (?:oil|water|fat)\b{GAP}"
    r"\b(?:down|doon|on|over|ower|all over|aw ower|in|up|all up) (?:his|her|my|their|me|the baby)\b",
    r"\b(?:stab|knife) wound\b",
    # someone has just been stabbed: "just got shanked", "hes been cheffed", "im stabbed"
    rf"\b(?:just|been|got|gotten|is|was just|has been|have been|im|i am|ive been|"
    rf"hes been|shes been|theyve been|boys been|mates been|s been) "
    rf"(?:(?!getting |gonna |going |about |gna )\w+ )?{STABBED}\b",
    rf"\b{OTHER} (?:just |has |have |)?{STABBED} (?:me|him|her|them|my \w+|someone|somebody|a \w+)\b",
    rf"\bwith (?:a |an |the |his |her |their )?{KNIFE} (?:to|at|in|against) (?:him|her|them|me|us|my (?!hands?\b)\w+)\b(?! hands?\b)",
    # someone is not responding after violence
    rf"\b{OTHER}\b(?: \w+){{0,8}} {UNRESPONSIVE}\b",
    rf"\b{OTHER} (?:is |s |)(?:going|gone|turning|turned) (?:white|pale|grey|gray|blue|cold)\b",
    r"\bbreathing (?:weird|funny|strange|badly|really slow|slowly)\b",
    r"\b(?:collapsed|passed out|unconscious|knocked out|on the floor|lying on the (?:floor|ground|pavement))\b"
    r".*\b(?:fight|stab|knife|blood|attack|hit|jumped|wound|getting cut|got cut|been cut|slashed)\b",
    r"\b(?:fight|stab|knife|blood|attack|hit|jumped|wound)\b.*"
    r"\b(?:collapsed|passed out|unconscious|knocked out|lying on the (?:floor|ground|pavement))\b",
    # out cold and breathing badly: "got knocked out and hes making weird noises"
    rf"\b(?:knocked out|passed out|unconscious|collapsed|out cold|blacked out)\b{GAP}\b(?:making|makin|is making|s making) "
    r"(?:weird|funny|strange|gurgling|gurgly|snoring|choking|rattling) (?:noises|noise|sounds|sound)\b",
    # a knock to the head, then sick or confused: "took a knock to the head, being sick"
    rf"\b(?:knock|bang|blow|whack|smack|kick|hit) (?:to|on|in) (?:the|his|her|my|their|me) head\b{GAP}"
    r"\b(?:being sick|been sick|threw up|throwing up|thrown up|vomiting|puking|confused|what day it is|where (?:he|she|i) is|"
    r"not making sense|slurring|drowsy|cant stay awake|passed out|blacked out|knocked out)\b",
    # a seizure told by how it looks: "shaking on the floor", "his eyes went back"
    r"\b(?:shaking|jerking|twitching|fitting|convulsing) on (?:the |)(?:floor|ground)\b|"
    r"\b(?:his|her|their) eyes (?:go|going|went|rolled|rolling|roll|are rolling|keep rolling) (?:back|to the back)\b",
    # beaten and left lying somewhere: "got battered an im lyin in the woods"
    rf"\b(?:battered|beaten up|beat up|kicked in|jumped|stamped on|attacked)\b{GAP}\b(?:im|i am|hes|shes|he is|"
    r"she is|theyre|still|just) (?:lying|lyin|laying|layin) (?:on|in) (?:the |a |some )?(?:floor|ground|pavement|road|"
    r"street|woods|park|grass|mud|alley|alleyway|gutter|field|bushes)\b",
]

# A threat said by people waiting for someone: "said theyll do him", "shouted hes going to get
# tyler", and where they wait.
THREAT = (
    r"(?:said|saying|says|shouted|shouting|told (?:him|her|me|us|them)|threatened|threatening) (?:that )?"
    r"(?:they|he|she|theyll|hell|shell|they will|he will|she will|theyre|hes|shes|they are|he is|she is)"
    r"(?: gonna| going to| goin to|) (?:do|get|stab|shank|jump|batter|kill|hurt|merk|wet|rush|bang|have) "
    r"(?:him|her|me|us|them|[a-z]+)"
)
WAITING = r"(?:outside|waiting|circling|surrounding|at the (?:gate|gates|door|front))"
# Something hidden on someone that they say they will use: "hes got something in his jacket and
# hell use it". A danger rule, and plain words of harm that the classifier never drops.
HIDDEN_WEAPON = (
    r"\b(?:something|summat|sumthin|sumthing|a weapon|a blade|a knife)\b (?:in|under|down|up) (?:his|her|their|the) "
    rf"(?:jacket|coat|pocket|hoodie|waistband|bag|trousers|sleeve|jumper)\b{GAP}"
    r"\b(?:use it|using it|pull it out|get it out)\b"
)
# What kind of knife, or a guess at it: "with what looks like a machete".
KIND = (
    r"(?:(?:what looks like|what looked like|what i think is|what might be|something like|summat like) "
    r"(?:a |an |)|)(?:big |massive |huge |long |kitchen |bread |carving |steak |stanley |)"
)

# Someone armed, here: "a man wi a knife is walkin up n doon oor street", "theres a guy waving
# a machete about on our street", "somone with a knife at the bus station".
HOLDING = (
    r"(?:has|have|got|has got|holding|holdin|waving|wavin|carrying|showing|showin|brandishing|"
    r"pulled|pulling|whipped|with|wiv|wi|wid)(?: out)?"
)
HERE = (
    r"(?:about|around|aboot|aroond|up and down|up n doon|everywhere|scared|terrified|frightened|help|please|pls|"
    r"at (?:me|us|him|her|them|my \w+)|"
    r"(?:asking|demanding) for|give (?:him|them|me)|"
    r"(?:at|in|on|near|by|outside|round|down) (?:the|our|my|this|a) (?:\w+ ){0,2}"
    r"(?:station|bus stop|stop|park|shop|chippy|chicken shop|school|gates?|door|street|road|lane|"
    r"yard|estate|bus|train|tram|house|flat|garden|car park|toilets|corner|drive|stairs|landing|block))"
)
# A hiding place at home, and someone violent there: both together are danger now.
HIDING_PLACE = (
    r"(?:(?:(?:locked|locking|lock|hiding|hid|hidin) (?:myself |meself |me |us |ourselves |)|(?:im|i am|were|we are) "
    r"(?:locked |lock |hiding |)|(?:is|are|s|re) (?:locked|hiding) |"
    r"(?:ive|i have|weve|we have) locked (?:myself |meself |us |ourselves |))"
    r"(?:in|under|inside) (?:the |my |our |a |me |their |his |her |)(?:\w+ )?(?:bathroom|toilet|room|bedroom|bed|wardrobe|"
    r"cupboard|loo|classroom)|"
    r"(?:pushed|put|wedged|dragged|moved|shoved) (?:me |my |the |a |our |)(?:\w+ )?(?:drawers|bed|wardrobe|chair|desk|"
    r"sofa|table|bookcase) (?:up |)(?:against|in front of|behind) (?:the |my |me |our |)(?:door|it))"
)
# Someone raging at home: with a threat or a barricaded door, danger now.
RAGING = (
    r"(?:drunk|banging|kicking|smashing|off (?:his|her|their) head|raging|going mad|going mental|kicking off|"
    r"losing it)"
)
VIOLENT_HOME = (
    r"(?:kicking off|going mental|losing it|battering (?:the |our |)doors?|smashing|smashin|smashed (?:the|a|our) (?:back |front |kitchen |)(?:window|door)|going mad|kicking the door|banging on the door|"
    r"hitting (?:my|me|her|him)|"
    r"screaming at|threatening|said (?:im|i am|were|we are|ill be|i will be) next|"
    r"coming (?:for|after) (?:me|us)|trying to get in|(?:someone|somebody|a man|men|people) "
    r"(?:downstairs|in the house|in the kitchen)|broke in|broken in|breaking in|"
    r"(?:he|she|they) (?:doesnt|dont|does not|do not) know (?:im|i am|were|we are) (?:here|in here))"
)
# No way out, and water: "the cars stuck and water is coming in", either way round.
NO_WAY_OUT = r"(?:stuck|trapped|cant get (?:out|the door open|the doors open))"
WATERS = r"(?:waters?|floods?|rivers?)"
EMERGENCY_DANGER = [
    # followed, said by the pace: "i sped up he sped up", "i walk faster he walk faster too",
    # "crossed the road and so did they"
    r"\b(?:i|we) (?:sped up|speed up|speeded up|walk faster|walked faster|started walking faster|"
    r"crossed the road|cross the road|started running|start running|ran|run)\b(?: \S+){0,3}? "
    r"(?:and |an |n |but |)(?:so did (?:he|she|they|them)|(?:he|she|they|them|the \w+) (?:\w+ )?"
    r"(?:sped up|speeds up|speed up|did too|did as well|walk faster|walks faster|walked faster|crossed|cross|"
    r"started running|ran|run|runs) ?(?:too|as well|after (?:me|us)|)\b)",
    # someone has a knife out now
    rf"\b{OTHER} (?:is |are |s |re |has |have |)?(?:got |has got |have got |just |)?"
    rf"(?:pulled |pulling |pulled out |waving |holding |brandishing |got out |took out |has |have |with |)"
    rf"(?:a |an |the |his |her |their |some |){KIND}{KNIFE}"
    rf"(?: out| to (?:my|his|her|me|our)| on (?:me|us|him|her)| and (?:hes|shes|theyre|is|are|saying|threatening|coming)|"
    rf" rn| right now| now| outside| coming| at (?:me|us|my)| saying| pointed|\s*(?:!|\?)*\s*$)",
    rf"\b{OTHER} (?:is |are |s |re |)\w+ (?:a |an |the |his |her |their |some |)(?:big |massive |)?"
    rf"{KNIFE}\b.*\b{NOW}\b",
    rf"\bwith (?:a |an |the |his |her |their |some |){KIND}{KNIFE}\b.*\b{NOW}\b",
    rf"\b{NOW}\b.*\bwith (?:a |an |the |his |her |their |some |){KIND}{KNIFE}\b",
    rf"\b(?:is|are|s|re) (?:at|outside|in|breaking into|trying to get in|banging on) [\w ]*\bwith (?:a |an |the |some |)?{KNIFE}\b",
    rf"\b(?:pulled|pulling|pull|drew|drawn) (?:a |an |the |his |her |their |out (?:a |an |the )?)?{KNIFE} on (?:me|us|my|him|her)\b",
    rf"\b(?:flashing|showing|waving|pointing|brandishing|flashed|showed|waved|pointed) (?:a |an |the |his |her |their |some )?{KNIFE} (?:at|to) (?:me|us)\b",
    rf"\b(?:flashing|showing|flashed|showed|shown) (?:me|us) (?:a |an |the |his |her |their |some )?{KNIFE}\b",
    rf"\b{KNIFE} (?:to|against|at) (?:my|his|her|their) (?:throat|neck|face|back|chest|head|stomach)\b",
    rf"\b(?:threatening|threaten) (?:me|us|him|her|my \w+)\b.*\b{KNIFE}\b",
    rf"\b(?:threatening|threaten) (?:me|us|him|her|my \w+) (?:with|wi|wiv) (?:a |an |the |his |her |their |some |)(?:\w+ )?"
    rf"{WEAPON}\b",
    # "they found where im hiding"
    r"\b(?:found|find|finding|know|knows|worked out|seen) (?:out |)where (?:im|i am|we are|were|weve been|ive been) "
    r"(?:hiding|hidin|staying|stayin)\b",
    # a threat told in the passive: "they say today i get stabbed"
    r"\b(?:say|says|said|saying|sayin|told me|tell me|keep saying|keeps saying) (?:that |)(?:today |tonight |later |"
    r"after school |)(?:i|we|me|im|i will|ill|we will|well|u|you|youll) (?:get|gets|getting|will get|gonna get|going to get|"
    r"am getting|are getting|is getting|be getting|to get) (?:stabbed|shanked|slashed|knifed|chibbed|chinged|merked|"
    r"wet up|jumped)\b",
    # a man who will not stop touching: "this man sat next to me keeps touching my leg"
    rf"\b(?:man|guy|bloke|fella|stranger|older (?:man|guy|lad|boy)|someone|somebody)\b{GAP}\b(?:keeps|keep|kept|is|been|"
    r"wont stop|keeps on) (?:touching|touchin|grabbing|grabbin|groping|rubbing) (?:me|my (?:leg|legs|bum|thigh|thighs|"
    r"chest|boobs|waist|knee|body))\b",
    rf"\b{KNIFE}\b.*\b(?:threatening|threaten) (?:me|us|him|her|my \w+)\b",
    rf"\b{OTHER}\b.*\b(?:chasing|following|after|coming for|coming after|looking for|waiting for|"
    r"surrounded|surrounding|cornered|attacking) (?:me|us)\b",
    r"^(?:being|getting) (?:chased|followed|attacked|jumped|robbed)\b|"
    r"\b(?:being|getting) (?:chased|followed|attacked|jumped) by\b(?!.*\b(?:last|ago|yesterday)\b)",
    r"\b(?:im|i am|we are|were) (?:being|getting) (?:chased|followed|attacked|jumped|"
    r"robbed|mugged|stabbed|threatened|surrounded)\b",
    r"\b(?:going to|gonna|gna|about to|trying to|tryna|tryin to|wants to|want to|will) "
    r"(?:stab|shank|chef|wet|merk|murk|nank|ching|attack|rob) "
    r"(?:me|us|him|her|my (?:mate|friend|bro|brother|cousin|sister|mum|dad))\b",
    # a person threatening to kill or hurt: "hes gonna kill me", "a girl said shes gonna cut me"
    r"\b(?:he|hes|she|shes|they|theyre|theyll|hell|shell|someone|somebody|a man|a guy|man|mans|"
    r"guy|boy|boys|girl|girls|men|them|my ex|my dad|my stepdad|mums boyfriend)\b(?: \w+){0,3} "
    r"(?:going to|gonna|gna|about to|trying to|tryna|tryin to|wants to|want to|will) "
    r"(?:kill|hurt|jump|cut|bore|splash|jook|juke|poke) "
    r"(?:me|us|him|her|my (?:mate|friend|bro|brother|cousin|sister|mum|dad))\b",
    r"\b(?:is|are|s|re) (?:attacking|stabbing|robbing|mugging|jumping|beating up|hitting) (?:me|us|my \w+|him|her|someone)\b",
    # a cry for help, not a request for it ("can anyone help me leave" is for the model)
    r"\b(?:help me|help us|somebody help|someone help|some1 help|pls help|please help|plz help|"
    r"help please|help pls|help plz|need help (?:now|rn|right now|asap))"
    r"(?= *(?:[!?]|$|pls|please|plz|now|rn|asap|someone|somebody|hes|shes|theyre|they|he|she|my|"
    r"im|i am|there|theres|this|these|its|i cant|quick))|\bsos\b|🆘",
    r"^(?:help ?)+[!?]*$",
    # "help im in danger", "help theres a man outside": a message that starts with a cry for help
    r"^(?:help|sos|emergency)[!?]* (?:me |us )?(?:im|i am|were|we are|theres|there is|someone|somebody|he|hes|she|shes|they|theyre|pls|please|plz|now|quick|asap)\b",
    r"\b(?:im|i am|were|we are|we re|hes|he is|shes|she is|theyre|they are|my \w+ is|someone is) (?:in danger|not safe right now|in trouble right now)\b",
    r"\b(?:breaking|broke|broken|trying to get) in(?:to)? (?:our|my|the) (?:house|flat|home|room)\b",
    rf"\b(?:hear|heard|hearing) (?:someone|somebody|some1|people|a man|men|footsteps|voices|noises?)\b{GAP}"
    r"\b(?:(?:no ?one|nobody|no body) (?:else )?(?:should|is meant to|is supposed to|s meant to|s supposed to|"
    r"else should) be (?:home|in|here|in the house)|(?:im|i am|were|we are) (?:home |hame |)"
    r"(?:alone|on my own|on ma own|by myself))\b",
    r"\b(?:got|have|has|have got|has got|ve got) (?:me|us|him|her|my \w+) (?:cornered|surrounded|pinned)\b",
    # armed and waiting: "a team's ootside the chippy wi chibs waitin for us tae come oot"
    rf"\b{KNIFE}\b{GAP}\bwaiting (?:for|on) (?:me|us|my \w+)\b|\bwaiting (?:for|on) (?:me|us|my \w+)\b{GAP}\b{KNIFE}\b",
    # someone in the garden or the house, and fear: "mum says stay quiet", "im on my own"
    r"\b(?:someone|somebody|some1|somone|sumone|a man|a guy|men|people|strangers?)(?: is| s| are| re|) "
    rf"(?:with (?:a |an |the |)(?:\w+ )?{WEAPON} |)"
    rf"(?:in|inside) (?:our|my|the) (?:back |front |)(?:garden|house|flat|hoose|yard|shed|garage|kitchen)\b{GAP}"
    r"\b(?:stay quiet|be quiet|keep quiet|hiding|hide|lights off|scared|terrified|on my own|alone|isnt home|"
    r"not home|is away|s away|(?:are|re|is|s) (?:out|away|at work))\b",
    # "someone bang on the window and say open or i will break it"
    rf"\b(?:banging|bang|bangs|banged|knocking|kicking|kick|kicked|hammering) (?:on |at |in |)(?:the |our |my |)"
    rf"(?:front |back |)(?:door|window|windows)\b{GAP}\b(?:or (?:i|ill|we|well|he|hes|they|theyll) (?:will |)"
    r"(?:break|smash|kill|hurt|stab|get|kick)|let (?:me|us) in or|open (?:up |it |the door |)or)\b",
    r"\b(?:stabbing|knife fight|fight with knives)\b.*\b(?:happening|going on|going down|right now|rn)\b",
    # someone armed, here (HOLDING and HERE above)
    rf"\b{OTHER}\b(?: \w+){{0,6}} (?:is |are |s |re |)(?:just |)?{HOLDING} "
    rf"(?:a |an |the |his |her |their |some |){KIND}{KNIFE}\b{GAP}\b(?:{HERE}|{NOW})\b",
    rf"\b{OTHER}\b(?: \w+){{0,6}} (?:just |)(?:pulled|pulling|whipped|whipping) (?:out |)"
    rf"(?:a |an |the |his |her |their |){KIND}{KNIFE}\b",
    # a threat to stab: "someone just threatened tae stab me", "sayin theyll shank anyone"
    r"\b(?:threatened|threatening|threatens|threaten|saying|sayin|said|says|told me) "
    r"(?:to |tae |ta |)(?:hell |shell |theyll |hes gonna |shes gonna |theyre gonna |)"
    r"(?:stab|shank|chef|wet|bore|jook|juke|merk|slash|nank|ching) (?:me|us|anyone|him|her|my \w+)\b",
    # "i think someone is in my house", "i can hear someone in our flat"
    r"\b(?:i think|i swear|i can hear|i heard|theres|there is|pretty sure) (?:someone|somebody|some1|a man|people|men)"
    r"(?: is| s| are| re|) (?:in|inside|downstairs in) (?:my|our|the) (?:house|flat|hoose|home|room|bedroom)\b",
    # "give me your phone or ill shank you"
    r"\bor (?:ill|i will|i ll|we will|well|hell|he will|theyll|they will|im gonna|were gonna) "
    r"(?:stab|shank|chef|wet|bore|jook|juke|merk|slash|cut|kill|hurt|batter|splash|ching|nank) "
    r"(?:you|u|ya|yer|ye|me|us|him|her)\b",
    # "me and our kid are getting chased", "my mate is getting rushed right now"
    r"\b(?:are|is|am|re|s) (?:being|getting) (?:chased|followed|attacked|jumped|robbed|mugged|"
    r"stabbed|threatened|surrounded|rushed|cornered)\b",
    # "theyre on the way to my house to bore me"
    rf"\b(?:on (?:the|their|his|her|my) way|coming (?:round|over|here|to))\b{GAP}"
    r"\b(?:stab|shank|chef|wet|bore|jook|juke|merk|slash|kill|hurt|get|do) (?:me|us|him|her)\b",
    rf"\babout to (?:go at it|fight|kick off|scrap|have a (?:fight|scrap))\b{GAP}\b{KNIFE}\b",
    rf"\b(?:seen|saw|see) (?:a |an |the |)?{KNIFE} (?:come|came|coming) out\b",
    # "someone outside wiv a knife", "right now holding a knife"
    rf"\b{NOW}\b(?: \w+){{0,2}} {HOLDING} (?:a |an |the |his |her |their |some |){KIND}{KNIFE}\b",
    # a threat from people waiting, either way round: "two boys outside said theyll do him when
    # he comes out", "circling the school, one just shouted hes going to get tyler"
    rf"\b{THREAT}\b{GAP}\b(?:when (?:he|she|they|i|we) (?:comes?|gets?|goes|leaves?|walks?) out|{WAITING})\b",
    rf"\b{WAITING}\b{GAP}\b{THREAT}\b",
    # something hidden on them that they say they will use: "hes got something in his jacket and
    # hell use it"
    HIDDEN_WEAPON,
    # people all round, and no way past: "3 lads circling me, i cant get past them"
    rf"\b(?:circling|surrounding|surrounded|cornered|blocking|boxed in|boxing in) (?:me|us|him|her)\b{GAP}"
    r"\b(?:cant|can not|cannot|wont let (?:me|us)) (?:get|go|run) (?:past|out|away|home|through)\b|"
    rf"\b(?:cant|can not|cannot) get (?:past|away from|out from) (?:them|him|her)\b{GAP}"
    r"\b(?:circling|surrounding|surrounded|cornered|blocking)\b",
    # armed and watching: "hes got a machete under his coat and hes watching me"
    rf"\b(?:got|has|with|holding|carrying|wiv|wi|wid) (?:a |an |the |his |her |their |)(?:\w+ )?{KNIFE}\b"
    r"(?: \S+){0,10}? (?:watching|watchin|staring at|starin at|eyeing|eyeballing|clocking) (?:me|us)\b|"
    rf"\b(?:watching|watchin|staring at|starin at|eyeing|eyeballing|clocking) (?:me|us)\b{GAP}"
    r"\b(?:with|wiv|wi|wid|holding|got|has) (?:a |an |the |his |her |their |)(?:\w+ )?"
    r"(?:knife|knives|blade|machete|machetes|shank|weapon)\b",
    # a car crawling beside someone: "a car has been driving slow behind me all the way home"
    r"\b(?:car|van|motor|4x4)s? (?:\w+ ){0,3}(?:driving|drivin|crawling|creeping|going|rolling) (?:really |)"
    r"(?:slow|slowly) (?:\w+ ){0,2}(?:behind|next to|beside|alongside|after) (?:me|us)\b",
    r"\b(?:car|van|motor)s? (?:\w+ ){0,2}(?:keeps?|kept|is|has been|been) (?:slowing down|pulling up|stopping|"
    r"crawling|following|circling|driving round|going round|coming round) (?:\w+ ){0,2}(?:next to|beside|alongside|"
    r"behind|by|round|around) (?:me|us)\b",
    r"\b(?:car|van|motor)s? (?:\w+ ){0,2}(?:has |have |)(?:slowed down|pulled up|stopped|driven past|gone past) "
    r"(?:\w+ ){0,2}(?:next to|beside|alongside|by|near) (?:me|us)\b(?: \S+){0,2}? (?:\d+|two|three|four|five|few|couple of|"
    r"several) times\b",
    # cut off by water: "stuck on the rocks and the tide is coming in", "the cars stuck and water
    # is coming in"
    rf"\b{NO_WAY_OUT}\b{GAP}\b{WATERS}\b(?: \w+){{0,2}} (?:coming in|rising|up to)\b|"
    rf"\b{WATERS}\b(?: \w+){{0,2}} (?:coming in|rising|come up|up to)\b{GAP}\b{NO_WAY_OUT}\b",
    # shut in somewhere: "locked in the grain store, door jammed shut"
    rf"\b(?:locked|trapped|stuck|shut) in\b{GAP}\b(?:door|doors|it)\b(?: \w+){{0,2}} (?:jammed|stuck|wont open|"
    r"will not open|locked)\b",
    # cut off by the sea: "stuck on the rocks and the tide is coming in"
    rf"\b(?:stuck|trapped|cut off|stranded|cant get back|cant get off|cant get out)\b{GAP}\btides?\b(?: \w+){{0,2}} "
    r"(?:coming in|rising|in)\b|\btides?\b(?: \w+){0,2} (?:coming in|rising)\b"
    rf"{GAP}\b(?:stuck|trapped|cut off|stranded|cant get (?:back|off|out|round))\b",
    # a stranger in a car: "man in car keep driving next to me slow and say get in"
    rf"\b(?:man|men|guy|guys|bloke|blokes|stranger|strangers|someone|somebody|lads?|people|fella)\b (?:in|inside) "
    rf"(?:a |the |this |that |some |)(?:\w+ )?(?:car|van|motor)\b{GAP}\b(?:get in|keeps? (?:driving|following|"
    r"pulling up|slowing down|circling)|driving (?:next to|beside|behind|alongside) (?:me|us)|following (?:me|us))\b",
    # "somebody's broken in", "someone is breaking in downstairs" (not into a car or a shed)
    rf"\b{INTRUDER}s? (?:has |have |s |is |are |re |just |)(?:broken|broke|breaking) in(?:to)?\b"
    r"(?! (?:my|his|her|their|our|the|a|me|ma) (?:\w+ )?(?:car|van|shed|garage|locker|account|"
    r"phone|insta|snap|email|game|school))",
    # surrounded and being robbed: "group of lads surround me in the alley they try take my phone"
    r"\b(?:surround|surrounds|surrounding|surrounded|cornered|corner|circled|circling) (?:me|us)\b(?: \S+){0,10}? "
    r"(?:take|took|taking|tryna take|grab|grabbing|nick|nicking|rob|robbing|mug|mugging|want|wants|demanding) "
    r"(?:my|me|our|ma)\b",
    # shut in by others: "pushed me into the bike shed and put something against the door so i
    # cannot get out"
    rf"\b(?:pushed|shoved|locked|shut|trapped|dragged|threw) (?:me|us|him|her) (?:in|into|inside)\b{GAP}"
    r"\b(?:cant|cannot|can not|couldnt|cant even) get out\b",
    # held and not let go: "some bloke grabbed my arm on the bus and wont let go"
    r"\b(?:grabbed|grabbing|grabbin|holding|holdin|got hold of|has hold of|gripping|pinned|pinning) (?:my|me|ma|our) "
    r"(?:\w+ )?(?:arm|arms|wrist|wrists|hand|hair|hood|hoodie|bag|neck|collar|jacket|coat|shoulder)\b(?: \S+){0,6}? "
    r"(?:wont|will not|isnt|is not|not|aint|refuses to|refusing to) (?:let|letting) (?:go|me go|us go|me leave|go of)\b",
    # a threat to attack, from people with weapons: "theres gona jump me after school they got
    # sticks"
    r"\b(?:gonna|gona|gunna|going to|goin to|gna|will|wanna|want to|tryna|trying to|planning to) (?:jump|stab|shank|"
    r"batter|kill|rush|bang|beat|do|get|cut|merk|wet|bore) (?:me|us|him|her|my \w+)\b(?: \S+){0,12}? "
    r"(?:they|he|she|theyve|theyre|hes|shes|them|and)(?: ve| s| all| have| has|) (?:got|have|has|carrying|with|holding|"
    r"bringing|brought) (?:\w+ )?(?:sticks|bats|knives|knife|weapons|blades|poles|bars|hammers|machetes|bricks|"
    r"bottles|a knife|a bat|a blade|a machete|a hammer|a weapon)\b|"
    r"\b(?:got|have|has|carrying|with|holding|bringing|brought) (?:\w+ )?(?:sticks|bats|knives|weapons|blades|poles|"
    r"bars|hammers|machetes|bricks|a knife|a bat|a blade|a machete|a hammer|a weapon)\b(?: \S+){0,8}? "
    r"(?:gonna|gona|gunna|going to|goin to|gna|will|wanna|want to|tryna|trying to|planning to) (?:jump|stab|shank|"
    r"batter|kill|rush|bang|beat|do|get|cut|merk|wet|bore) (?:me|us|him|her|my \w+)\b",
    # a witness to a knife coming out: "just saw a lad pull a knife at the bus stop"
    rf"\b(?:saw|seen|see|seein|seeing|watching|watched|can see) (?:some |this |that |)?{OTHER}\b(?: \w+){{0,4}}? "
    rf"(?:pull|pulling|pulled|whip|whipping|whipped)(?: out|) (?:a |an |the |his |her |their |){KIND}{KNIFE}\b",
    # a knife flashed at someone else, or shown to another young person: "a boy just showed his
    # knife to another boy" (not "my dad showed his new knife to the neighbour")
    rf"\b(?:flashed|flashing|flashin|flash|flashes|waving|wavin|waved|pointed|pointing|pointin) "
    rf"(?:his |her |their |a |an |the |)(?:\w+ )?{KNIFE} (?:to|at) (?:another|a|some|the|this|that|my|his|her|"
    r"their|other|people|everyone|anyone)\b|"
    rf"\b(?:showed|showing|showin|show|shows) (?:his |her |their |a |an |the |)(?:\w+ )?{KNIFE} (?:to|at) "
    r"(?:another \w+|some (?:boys?|girls?|lads?|kids?|year \w+|people)|people|everyone|anyone|"
    r"a (?:boy|girl|lad|kid|year \w+)|my (?:mate|friend|pal|bro|brother|sister|cousin)s?)\b",
    # "theres a fight with knives"
    r"\b(?:theres|there is|there s|there are|theres been) (?:a |)(?:\w+ )?(?:knife fight|fight with (?:knives|"
    r"a knife|blades|a blade|machetes|a machete))\b",
    # "guy across the street has a knife in his hand"
    rf"\b{OTHER}\b(?: \w+){{0,6}} (?:has|have|got|has got|holding|holdin|with|wiv|wi|wid)(?: got|) "
    rf"(?:a |an |the |){KIND}{KNIFE} in (?:his|her|their) hands?\b",
    # a knife held to someone: "i can see a guy holdin a knife to a girls face"
    r"\b(?:holding|holdin|holds|held|pointing|pointin|pointed|putting|puttin|put|pressing|pressed|got) "
    rf"(?:a |an |the |his |her |their |){KIND}{KNIFE} (?:to|at|against|on) (?:a |the |his |her |their |my |me |"
    r"ma |our |some |this |that |)(?:\w+ |\w+ s )?(?:face|throat|neck|chest|head|belly|stomach|side|ribs)\b",
    # robbed at knifepoint: "has a knife in his waistband and is telling me to empty my pockets"
    rf"\b{KNIFE}\b{GAP}\b(?:empty (?:my|me|our|your|ur) pockets|hand (?:it |them |)over|give (?:him|them|me|us|it) "
    r"(?:my|me|our|your|ur) (?:phone|money|bag|wallet|stuff|bike|jacket|coat|watch|chain|trainers|shoes|card))\b|"
    r"\b(?:empty (?:my|me|our|your|ur) pockets|give (?:him|them|me|us) (?:my|me|our|your|ur) (?:phone|money|bag|"
    rf"wallet|stuff|bike|jacket|coat|watch|chain|trainers|shoes|card))\b{GAP}\b{KNIFE}\b",
]

# Danger told by two signs at once: a hiding place and someone violent, a fire in a room, smoke
# and no way out, an attack and then hiding, a threat from someone drunk or raging, being shut in.
# The classifier may doubt these (the 999 line then goes above the answer) but never overrules
# them, as with MEDICAL: "were locked in the bathroom, hes smashing stuff" is never an ordinary
# day, however the rest of it is written.
SURE_DANGER = [
    # a fight about to start, and a weapon there: "fight bout to kick off on the bus one of them
    # got smth in his jacket", "gonna be a massive fight, someone said jay brought a knife"
    r"\b(?:(?:gonna|going to|goin to|about to|bout to|abt to) (?:be |)(?:a |)(?:\w+ )?(?:fight|scrap|brawl|kick off|go off)|"
    rf"kicking off|(?:fight|scrap|brawl) (?:is |s |)(?:starting|kicking off|about to))\b{GAP}\b(?:brought|bringing|got|has|"
    r"carrying|holding) "
    r"(?:a |an |his |their |)(?:knife|knives|blade|machete|shank|weapon|bat|hammer|(?:something|summat|sumthing|smth|sth) "
    r"(?:in|under|down) (?:his|her|their) (?:jacket|coat|pocket|hoodie|waistband|bag|sleeve|trousers))\b",
    # kept from getting past by someone reaching for a weapon: "boys blockin the path wont let us
    # past one keeps touchin his waistband"
    rf"\b(?:blocking|block|blocked|wont let (?:me|us) (?:past|through|go|leave))\b{GAP}\b(?:touching|reaching (?:in|into)|"
    r"hand in|hand on|holding|patting|feeling) (?:\w+ )?(?:his|their|her) (?:waistband|pocket|jacket|bag)\b",
    # a group coming with weapons: "loads of em are comin over with bats and summat shiny"
    r"\b(?:coming|heading|walking|running|marching|charging) (?:over|towards (?:me|us)|at (?:me|us)|for (?:me|us)|"
    r"this way|our way|up to (?:me|us)) "
    r"(?:\w+ ){0,3}(?:with|wi|wiv|wid|holding|carrying) (?:\w+ )?(?:bats|knives|sticks|weapons|machetes|blades|poles|"
    r"bars|hammers|bricks|a knife|a bat|a machete|a blade|a weapon|a hammer)\b"
    r"(?! (?:for|to play) (?:rounders|cricket|baseball|a game|the game|practice|training))",
    # hiding from someone violent at home: "locked in the bathroom, mums boyfriend is smashing
    # stuff", "hiding under my bed, i can hear someone downstairs and nobody should be home"
    rf"\b{HIDING_PLACE}\b{GAP}\b{VIOLENT_HOME}\b",
    rf"\b(?:locked|barricaded|hiding|hidin) (?:us |ourselves |myself |me |)(?:in|inside|under)\b{GAP}\b{KNIFE}\b",
    # someone armed, and hiding from them: "a guy with a hammer battering doors, im hiding in the cupboard"
    rf"\b(?:with|wiv|wid|holding|got) (?:a |an |the |his |her |their |)(?:\w+ )?{WEAPON}\b{GAP}\b{HIDING_PLACE}\b",
    rf"\b{VIOLENT_HOME}\b{GAP}\b{HIDING_PLACE}\b",
    # a fire: "the living room is on fire and my nan is upstairs"
    r"\b(?:house|flat|room|kitchen|living room|building|home|bedroom|stairs|hallway|landing|garage|block) "
    r"(?:is |s |are |)(?:on fire|burning|full of smoke|filling (?:up )?with smoke)\b|"
    r"\bthere(?:s| is|) a fire (?:in|at|on) (?:our|my|the) (?:house|flat|kitchen|room|stairs|block|building)\b",
    # a break-in with a weapon: "a man climbed in the back window with a crowbar"
    rf"\b(?:climbed|climbing|came|coming|got|getting|broke|broken|breaking|smashed|walked|walking|stormed|burst) (?:in|into|through)\b{GAP}"
    rf"\b{WEAPON}\b",
    # taken: "im locked in a car boot"
    r"\b(?:locked|stuck|trapped|tied up|shoved|thrown|put) in (?:a |the |his |their |)(?:car )?boot\b|"
    r"\bin the boot of (?:a|his|their|the) car\b|\b(?:been |being |getting |got )(?:kidnapped|abducted|snatched)\b",
    # attacked with something, and now hiding from them: "went for me with a screwdriver, ive
    # locked meself in the bathroom"
    rf"\b(?:went|gone|came|come|lunged|swung|ran|run) (?:for|at) (?:me|us|him|her|my \w+) (?:with|wiv|wi|wid) "
    rf"(?:a |an |the |his |her |their |some |)(?:\w+ )?(?:{WEAPON}|screwdriver|bottle|bat|brick|spanner|bar|"
    rf"pole|chair|glass)\b{GAP}\b(?:{HIDING_PLACE}|locked|barricaded|trapped|stuck in|cant get out)\b",
    # a threat from someone drunk or raging at home: "hes drunk and banging on my door saying
    # hell kill me", "she says shell kill us, ive pushed the bed against the door"
    rf"\b{THREAT}\b{GAP}\b(?:{HIDING_PLACE}|{RAGING})\b",
    rf"\b(?:{HIDING_PLACE}|{RAGING})\b{GAP}\b{THREAT}\b",
    # shut in by someone: "they locked me in a shed and say theyll not let me out"
    rf"\b(?:locked|locking|shut|trapped) (?:me|us|him|her|my \w+) in\b{GAP}\b(?:wont|will not|no|not|dont|refuse to|"
    r"refusing to) (?:let|letting) (?:me|us|him|her) (?:out|go|leave)\b",
    # trapped with smoke or fire: "stuck in the lift and it smells like smoke"
    rf"\b(?:stuck|trapped|locked|jammed|cant get out)\b{GAP}\b(?:smoke|smoky|flames|on fire|burning smell|smell of "
    r"burning|cant breathe)\b|"
    rf"\b(?:smoke|flames|on fire)\b{GAP}\b(?:stuck|trapped|locked in|jammed|cant get out)\b",
]
# "if i died", "if i wasnt here": what others would feel then is a passive wish to die
IF_I_WAS_GONE = (
    r"(?:died|was dead|were dead|wasnt here|wasnt around|was gone|were gone|disappeared)"
)
CRISIS_SUICIDAL = [
    r"\b(?:wouldnt|would not|wouldnae|wudnt) (?:mind|care) if (?:\w+ ){0,3}(?:hit|hits|ran over|runs over|run over|"
    r"knocked down|killed|took) (?:me|us)\b|\bsaves? me (?:doing|doin|having to do) it\b",
    r"\b(?:wrote|writing|written|write|made|making) (?:out |oot |down |a list of |a list |)who (?:gets|will get|should get|"
    r"can have|is getting) (?:my|ma|me|all my)\b",
    # giving things away because they will not need them: "gave me his xbox and said he wont need
    # them anymore"
    r"\b(?:gave|giving|given|gives|give) (?:me |us |them |away |her |him )?(?:\w+ ){0,8}(?:said|saying|says|cos|because) "
    r"(?:he|she|they|i) (?:wont|will not|isnt going to|is not going to|not gonna|aint gonna) (?:need|be needing) "
    r"(?:them|it|any of it|anything|em)\b",
    # into the water and not coming up: "i think bout just going over the side and not comin up"
    r"\b(?:over the side|off the (?:side|edge|boat|pier|cliff|cliffs|bridge|harbour wall|rocks)|into the (?:sea|water|"
    r"river|canal|waves|loch)|under the (?:water|waves)|out to sea)\b(?: \S+){0,6}? (?:and |)(?:not|never|wouldnt|"
    r"would not|dont) (?:come|coming|comin|cum) (?:back |)(?:up|back|out)\b",
    # a passive wish to die: "if a car hit me on the way home i wouldnt mind"
    r"\bif (?:(?:i|ah) (?:\S+ ){0,4}?(?:died|didnt wake up|dont wake up|never woke up|wasnt here|werent here|was gone|"
    r"disappeared|got (?:hit|run over|ran over|knocked down) by (?:a|the) (?:car|bus|train|lorry|van|truck))|"
    r"(?:a|the) (?:car|bus|train|lorry|van|truck|tractor|quad|motorbike|motor) (?:hit|hits|ran over|runs over|run over|"
    r"knocked down|rolled on|"
    r"rolled onto|fell on|crushed) (?:me|us))\b"
    rf"{GAP}\b(?:(?:i |honestly |)(?:wouldnt|would not|wouldnae|wudnt|dont think id|wouldnt even) "
    r"(?:mind|care|be bothered|be sad|be that bad|matter|be the worst thing|be a bad thing|be so bad)|"
    r"(?:id|i would|i d|i wud|id honestly|id actually|id just) (?:be |feel |)(?:kinda |kind of |sort of |so |really |"
    r"honestly |actually |lowkey |low key |)(?:relieved|glad|grateful|thankful|"
    r"at peace|(?:ok|okay|fine|alright) with (?:it|that))|"
    r"(?:id|i would|i d|i wud) (?:honestly |actually |really |)not (?:mind|care))\b",
    r"\b(?:im|i am|i m|i wont|i will not|hes|shes|he is|she is|theyre|(?:he|she|they) (?:wont|will not)) (?:not |)"
    r"(?:gonna |going to |gna |)(?:be )?(?:around|round|here) "
    r"(?:much |for |)(?:longer|long|for much longer|much longer|anymore after)\b"
    r"(?! (?:than|at|in|on|tonight|today|this|online|cos|coz|because|as|mate|lol|haha|sorry))",
    # someone died, and wishing it was them: "sat with her while she passed, i wish that were me"
    rf"\b(?:died|passed|passed away|dying|funeral|dead|killed)\b{GAP}\b(?:i )?wish (?:that|it) (?:was|were) me\b",
    r"\b(?:kill|killing|end|ending|hang|hanging|top|topping|off|offing|unalive|unaliving|drown|drowning) "
    r"(?:myself|my self|meself|me self)\b",
    r"\bkms\b|\bk m s\b|\bkmsl\b",
    r"\b(?:suicide|suicidal|suicdal|suicde|sucidal|sucide|suiside|suicidle|sewerslide|unalive|unalived)\b",
    r"\b(?:want|wants|wanting|wanna|wish|wished|ready|deserve|like|need) (?:to )?(?:die|be dead|not exist|"
    r"kill (?:himself|herself|themselves|themself)|"
    r"stop existing|disappear forever|not be alive|stop living|end it|end it all|end everything|end things)\b",
    r"\b(?:going|gonna) (?:to )?(?:not exist|stop existing|disappear forever|stop living|end it|"
    r"end it all|end everything|end things)\b",
    # done to end it, or wanting it all over: "jumped in the harbour to end it", "i just want it
    # all over", "wanted it all to end"
    r"\b(?:jumped|took|taken|swallowed|cut|went|walked|drove|ran|drank|tried) (?:\S+ ){0,6}?(?:to|so i could) "
    r"(?:end it|end it all|end my life|die|not wake up)\b",
    r"\b(?:want|wanted|wanting|wanna|need|needed) (?:it all|everything|all of it) (?:to be |to |)(?:over|end|stop)\b"
    r"(?! (?:with|for|before|so|soon|already|by|now (?:so|cos)))",
    r"\b(?:think|thinking|thought|thinkin) (?:about|of|bout|abt) (?:dying|death|being dead|not being (?:here|alive)|"
    r"not existing|killing myself|ending it|ending my life)\b",
    r"\b(?:wish|wishing) (?:i|id|i was|i were|i had) (?:was |were |)?(?:dead|never born|not born|not here|gone|not alive)\b",
    r"\b(?:do not|dont|don t|dnt|doesnt|didnt|did not|no longer|not|never) (?:want|wanna) (?:to )?(?:be here|live|exist|"
    r"be alive|wake up|go on|be around|carry on)\b",
    # "only reason im still here is my little sister"
    r"\b(?:only|the only) (?:reason|thing) (?:im|i am|i m|why im|keeping me) (?:still )?(?:here|alive|going|around)\b",
    r"\b(?:no|nothing to|no point|no reason to|no point in|no point being|whats the point (?:of|in)) "
    r"(?:reason to )?(?:live|living|go on|going on|carry on|be alive|being alive|be here|being here)\b",
    r"\b(?:dont|do not|cant|can not) see the point\b|\bwhats the point (?:of|in) (?:anything|it all|life|me)\b",
    r"\b(?:whats|what is) the point (?:of|in) (?:living|life|being alive|going on|me being here)\b",
    r"\bbetter (?:off )?(?:dead|without me|if i (?:was|were|wasnt|werent) (?:gone|dead|here|around))\b",
    r"\b(?:happier|better off|better) if i (?:wasnt|was not|werent|was gone|were gone|died|disappeared)\b",
    r"\b(?:take|taking|end|ending) my (?:own )?life\b|\bplan to (?:end|take) my\b",
    r"\b(?:feel like|thinking (?:about|of)|thought about|considering|think about) (?:ending|end|killing) "
    r"(?:it|it all|things|everything|my life|myself)\b",
    r"\bend it all\b|\bend it (?:tonight|today|now|soon)\b|\b(?:end|ending) (?:things|everything)\b",
    r"\b(?:overdose|overdosing|overdosed|od on|od ing)\b",
    r"\b(?:taken|take|taking|took|swallow|swallowed|swallowing) (?:a load of|loads of|lots of|all|a bunch of|"
    r"too many|a whole|the whole)(?: (?:my|the|these|those|my \w+|of my|of the))? "
    r"(?:pills|tablets|paracetamol|meds|medicine|packet)\b",
    r"\bhow many (?:pills|tablets|paracetamol)\b",
    *OVERDOSE,
    r"\b(?:nobody|no one|noone|no1|no body|naebody|nae body|naebdy)(?: (?:would|will|wud|wid|wld|wouldnt)|d) "
    r"(?:even |really |actually |)?(?:care|miss me|notice|cry)\b",
    r"\b(?:cant|can not|cannot|can t) (?:go on|do this anymore|do this no more|take (?:it|this) anymore|"
    r"cope anymore|keep going|carry on)\b",
    r"\b(?:not be|never) (?:here|around) (?:tomorrow|anymore|much longer)\b",
    r"\b(?:wont|will not|dont think ill|not gonna|not going to) be (?:around|here|alive) (?:for|by|at|on|to see) "
    r"(?:my|the|next|christmas|summer)\b",
    rf"\b(?:pills|tablets|rope|blade|razor|meds)\b{GAP}\bfor when (?:im|i am|i m) ready\b",
    rf"\b(?:goodbye|bye)\b{GAP}\bjust in case\b",
    r"\b(?:cry|be sad|be upset|miss me) for a (?:bit|while|day|few days|week)\b",
    r"\balready (?:picked|chosen|chose|set|planned) (?:a|the) (?:day|date)\b(?! for)",
    r"\b(?:wish|wishes|wished|wishing) (?:they|he|she|someone|somebody)(?:d| had| would| would have| has) "
    r"(?:finished|killed) (?:me|him|her|them) off\b",
    r"\b(?:whats|what is|fits|wits) the point\s*[!?]*$",
    r"\b(?:i should|should i|maybe i should|might as well) (?:just )?let (?:it|myself)(?: bleed| go| happen|)\s*[!?]*$",
    r"\b(?:goodbye|bye) (?:forever|everyone|world|cruel world)\b",
    # "my friends on the headland saying shes gonna jump"
    r"\b(?:saying|says|said|sayin|threatening|threatened|told me|texted|keeps saying) (?:that |)(?:shes|hes|theyre|"
    r"she is|he is|they are|she will|he will|shell|hell|she wants to|he wants to) (?:gonna |going to |gna |)jump\b"
    r"(?! (?:me|us|him|her|them|you|u|ya|people|someone|somebody|my|his|our|their|in|on|into|over|the queue|the fence|"
    r"the gun|out at|up|around|about|for|with|off the (?:top |high |)(?:sofa|bed|diving|board|springboard)))",
    # over the railings of a bridge: "on the bridge, climbed over the first bit", "on the wrong side of the railing"
    r"\b(?:wrong|other) side of the (?:railings?|barriers?|safety rail|rail)\b",
    rf"\b(?:bridge|roof|multi ?storey|cliff|viaduct|flyover|overpass)\b{GAP}\b(?:climbed|climbing|gone|went|got) over "
    r"(?:the |)(?:first bit|railings?|barriers?|edge|side)\b",
    r"\bjump (?:off|from|in front of) (?:a |the |)(?:\w+ ){0,2}(?:bridge|building|roof|train|car|cliff|tower|"
    r"multi ?storey|car park|viaduct|pier|balcony|flats|quarry|motorway)\b",
    r"\b(?:think|thinking|thinkin|thought) (?:about|bout|aboot|of) (?:just |)(?:stepping|steppin|stepped|jumping|"
    r"jumpin|walking|walkin|falling) (?:off|of|onto|in front of) (?:the |a |)(?:platform|tracks|line|train|edge|roof|"
    r"balcony|ledge)\b",
    r"\b(?:only|one) way (?:\w+ ){0,6}(?:stop|stops|stopping|stoppin|end|ends|ending|go away|goes away) "
    r"(?:\w+ ){0,2}(?:is if|is|if) (?:i|im|i am|i was|i m) (?:gone|dead|not here|not around|die|dont wake up)\b",
    ON_THE_EDGE,
    LIGATURE,
    # "she told me she wish she was dead" (the same person wishes it)
    r"\b(he|she|they) (?:\w+ ){0,2}(?:wish|wishes|wished|wishing) \1 (?:was|were|is|had|) ?"
    r"(?:dead|never born|not born|not here|gone|not alive)\b",
    r"\b(?:written|wrote|writing|write) (?:a |my |)(?:suicide |goodbye |)(?:note|letter)s? (?:for|to) "
    r"(?:my |)(?:family|mum|mom|dad|parents|friends|everyone)\b|\bsuicide note\b",
    r"\b(?:i|id|i d)\b(?: \w+){0,3} (?:wouldnt|would not|wont|dont|didnt|never|not|to not) wake up\b",
    r"\b(?:sleep|go to sleep|fall asleep|sleeping) (?:and|n|an) (?:never|not|dont|don t) (?:wake up|ever wake up)\b",
    r"\b(?:done with|over) (?:life|living|everything|it all|being alive)\b",
    r"\blife (?:is|s) (?:pointless|meaningless|not worth (?:it|living))\b|\bnot worth living\b",
    r"\b(?:im|i am|i feel like|im just|i am just) (?:just |such |)a burden\b",
    r"\b(?:easiest|best|quickest|painless|fastest) way to (?:die|go(?! about| to| for| round| and| back| in| out| home)|end it|kill myself)\b",
    r"\bhow (?:to|do i|can i|would i) (?:die|kill myself|end it|end my life)\b",
    r"\b(?:should|could|might|want to|wants to|wanted to|wanna) (?:just |)disappear\b.*\b(?:better|without me|forever|"
    r"for good|gone)\b",
    # "gonna yeet myself off the multi storey"
    r"\b(?:yeet|yeeting|chuck|chucking|throw|throwing|fling|flinging|launch|launching) (?:myself|meself|masel) "
    r"(?:off|of|out of|in front of|under) (?:the |a |an |)(?:\w+ )?(?:bridge|building|roof|multi ?storey|car park|cliff|"
    r"cliffs|balcony|tower|motorway|train|bus|tracks|flats|window|pier|viaduct)\b",
    r"\bdisappeared for good\b|\bgone for good\b",
    # "if i died, would they be better off", "would anyone notice if i was gone"
    rf"\bif i {IF_I_WAS_GONE}\b{GAP}"
    r"\b(?:better|happier|easier|(?:wouldnt|would not|not) (?:care|notice|miss))\b",
    # "if i was gone the kids would be fine" (not "if i was gone for the weekend")
    rf"\bif i {IF_I_WAS_GONE}\b"
    r"(?! (?:for|on|to|till|until|at|in|next|over|away)\b)(?: \w+){0,6} "
    r"(?:would|will|wud|d) (?:all |)(?:be|get on) (?:fine|ok|okay|alright|all right|grand|sound)\b",
    rf"\b(?:would|will|wud) (?:anyone|anybody|any1|they|people) (?:even |)(?:care|notice|miss me)\b{GAP}"
    r"\bif i (?:died|was dead|was gone|wasnt here|disappeared)\b",
    # "hes thought about stepping out in front of a bus"
    r"\b(?:thought|thinking|thinks|think|thinkin|wants?|wanted|gonna|going|feel like|urge|tempted|about|imagine|"
    r"imagining|picture|picturing|keep)\b"
    r"(?: \w+){0,3} (?:step|stepping|walk|walking|jump|jumping|throw (?:myself|himself|herself)|"
    r"throwing (?:myself|himself|herself)) (?:out )?in front of (?:a |the |)(?:bus|train|car|lorry|truck|tube|traffic)\b",
    # wishing to be hit: "lowkey wish a bus would just hit me", "i hope a car hits me"
    r"\b(?:wish|wishing|hope|hoping|pray|praying)\b(?: \w+){0,2} (?:a |the |some |)(?:bus|train|car|lorry|truck|van|"
    r"tube|taxi)s? (?:would |will |could |)(?:just |)(?:hit|hits|run over|runs over|ran over|knock(?:s|ed)? (?:me )?down|"
    r"take me out|takes me out|mow me down|mows me down)(?: me|)\b(?! (?:with|in) (?:a|the) (?:ball|game))",
    # "if i get battered again am endin it" (not "im ending it with him")
    r"\b(?:im|i am|am|ill be|i will be|im gonna be|im going to be) (?:just |)ending (?:it|it all|my life)\b"
    r"(?! (?:with|wi|wiv|here|there|on|at|for|by)\b)",
    r"\b(?:plan|plans|planning|planned) (?:to |on |)(?:end|ending|take|taking) (?:my|his|her|their) (?:own )?life\b",
    # "wish i could quit irl", "logging off. permanently"
    r"\bquit (?:irl|life|living)\b|\b(?:log|logging) off (?:permanently|from life|irl|for good irl)\b",
    r"\bdoes it hurt to die\b",
    # pills kept back for later: "she stockpiles her meds just in case"
    r"\b(?:stockpile|stockpiles|stockpiling|stockpiled|hoarding|hoards|stashing|saving up) (?:my |her |his |their |"
    r"all (?:my|her|his|their) |)(?:meds|pills|tablets|paracetamol|painkillers)\b",
]

CRISIS_SELF_HARM = [
    # skin scratched or cut with something sharp: "scratch ma legs wi a compass in class"
    r"\b(?:scratch|scratches|scratching|scratched|cut|cuts|cutting|carve|carving|carved|dig|digging) (?:into |at |)"
    r"(?:my|ma|me|her|his|their) (?:own |)(?:legs?|arms?|wrists?|thighs?|skin|stomach|hands?) (?:with|wi|wiv) "
    r"(?:a |an |my |ma |me |the |)(?:compass|compasses|razor|blade|pin|safety pin|sharpener|pencil sharpener|"
    r"scissors|glass|needle|nail file|paperclip|ruler)\b",
    # scratching skin up: "think me little sister is scratching her legs up in the bath"
    r"(?<!cat )(?<!cats )(?<!dog )(?<!kitten )(?<!puppy )(?<!hamster )"
    r"\b(?:scratching|scratched|scratches|scratchin|clawing|clawed) (?:at |)(?:her|his|their|my|me) (?:own |)"
    r"(?:legs|arms|wrists|thighs|skin|arm|leg|stomach|face) (?:up|raw|open|to bits|till|until|til)\b",
    # pulling hair out until it shows: "pulled my hair out again, theres a bald bit now"
    r"\b(?:pull|pulls|pulled|pulling|pullin|tug|tugging|yank|yanked|yanking) (?:out |)(?:my|me|ma) (?:own |)"
    r"(?:hair|eyelashes|eyebrows|lashes)\b(?: out)?(?: \S+){0,10}? (?:bald|bald bit|bald patch|bald patches|"
    r"bald spot|bald spots|clumps|handfuls|till it bleeds|til it bleeds|until it bleeds|gaps)\b",
    # hitting oneself: "hes been hitting his own head with his fists"
    r"\b(?:hitting|hits|hit|punching|punches|punched|slapping|slaps|slapped) (?:his|her|my|their|me|ma) own "
    r"(?:head|face|legs?|arms?|stomach|body)\b",
    # a blade kept where only they look: "i keep a blade in my make-up bag"
    r"\b(?:keep|keeps|kept|keeping|hide|hides|hid|hidden|hiding) (?:a |my |me |the |some |)(?:razor|razors|blade|blades|"
    r"razor blades?) (?:in|under|inside) (?:my|me|ma) (?:make ?up bag|pencil case|phone case|pillow|pillowcase|mattress|"
    r"purse|wash bag|sock drawer|jewellery box)\b(?! for (?:art|work|crafts?|dt|cutting|shaving))",
    # a band snapped on the wrist, or means kept hidden "just in case"
    r"\b(?:snap|snaps|snapping|snapped|ping|pinging|flick|flicking) (?:a |an |the |my |me |ma |)(?:elastic |rubber |"
    r"hair |)(?:band|bobble)s? (?:on|against|at) (?:my|me|ma|his|her) wrists?\b",
    rf"\b(?:razor|razors|blade|blades|pills|tablets)\b{GAP}\b(?:hid|hidden|hide|hiding|stashed|stash|keep|keeping|kept)"
    rf"\b{GAP}\bjust in case\b|\b(?:hid|hidden|stashed|keeping|kept) (?:a |some |my |me |)(?:razor|razors|blade|blades)\b"
    rf"{GAP}\bjust in case\b",
    # biting oneself: "i bite my hand when i panic, there is bruise now"
    r"(?:^|\b(?:i|im|keep|keeps|kept|been|start|started|always|sometimes|then|and)) (?:bite|biting|bit|bitten) "
    r"(?:my|me|ma) (?:own )?(?:hands?|arms?|wrists?|fingers?)\b"
    r"(?: \S+){0,6} (?:when|till|until|til|to|so|bruise|bruised|bleed|bleeds|bleeding|marks?)\b",
    r"\b(?:cut|cutting|cuttin|hurt|hurting|harm|harming|burn|burning|burnt|burned|scratch|scratching|hit|hitting|"
    r"punch|punching|starve|starving|bite|biting) (?:myself|my self|meself|me self)\b",
    r"\bself ?harm(?:ing|ed|s)?\b|\bselfharm\b|\bself injur(?:y|e|ing)\b",
    r"\b(?:cut|cutting|cuttin|slit|slitting|slash|slashing|scratch|scratching|burn|burning|carve|carving) "
    r"(?:my|me|into my) (?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?)\b",
    r"\b(?:started|start|been|keep|kept|back to|thinking of|thinking about|want to|wanna|urge to|urges to|"
    r"need to|going to|gonna) cutting\b|\bcutting (?:again|tonight|myself)\b",
    # "need to cut" with something to cut ("the cake", "my hair", "class") is an ordinary day
    r"\b(?:urge|urges|want|wanna|need) to (?:cut(?! (?:the|a|an|some|it|them|this|that|these|"
    r"those|his|her|their|your|ur|yer|down|off|out|back|up|class|school|lessons?|ties|through|"
    r"across|in|into|loose|corners|costs|him|my (?:hair|nails|fringe|losses|food|toenails|"
    r"fingernails|grass|lawn|hours|sugar))\b)|hurt myself|self harm)\b",
    r"\bcut (?:too deep|really deep|deep|too far)\b",
    r"\b(?:relapsed|relapse|relapsing)\b",
    r"\bsh (?:again|tonight|urges?|scars?)\b|\b(?:did|done|doing) sh\b",
    r"\bblades? (?:on|to|into) my (?:arms?|wrists?|skin|legs?|thighs?)\b",
    r"\b(?:punch|punching|hit|hitting) walls?\b|\bjust to feel something\b",
    r"\bhurt myself on purpose\b|\bon purpose\b.*\b(?:hurt|cut|burn)\b",
    # "carved something into my leg", "hes been scratching himself with a blade"
    r"\b(?:carved|carving|carve|scratched|scratching|cutting) (?:\w+ ){0,2}(?:into|in) (?:my|ma|me) "
    r"(?:arms?|wrists?|legs?|thighs?|skin|stomach|hips?)\b",
    r"\b(?:scratching|scratched|cutting|cut|hurting|hurt|burning|burnt|harming) (?:himself|herself|themselves|themself) "
    r"(?:with|on|again)\b",
    # marks that are kept hidden: "the scars on ma legs are gettin worse", "me arms are a mess"
    r"\b(?:scars|marks|cuts|burns) on (?:my|ma|me) (?:arms?|wrists?|legs?|thighs?|hips?|stomach)\b",
    r"\b(?:my|ma|me) (?:arms|wrists|legs|thighs) (?:are |r |is |)(?:a mess|covered in (?:cuts|scars|marks))\b",
    # blood from a wrist, an arm or a thigh of one's own
    r"\b(?:my|ma|me) (?:wrists?|arms?|thighs?)\b(?: \w+){0,3} (?:bleeding|bleedin|pouring|gushing|wont stop)\b",
    rf"\b(?:blood|bleeding|bleedin)\b{GAP}\bfrom (?:my|ma|me) (?:wrists?|arms?|thighs?)\b",
    rf"\b(?:stopped eating|not eating|stopped eatin|starving myself|starve myself)\b{GAP}\b(?:on purpose|punish\w*|deserve)\b",
    r"\b(?:i like|i love|i need|i want|i crave) the pain\b",
    r"\b(?:i got|ive got|i have|i took|ive taken|got|took|taken|keep|kept) (?:the |a |some |)blades? (?:out of|from) "
    r"(?:my |a |the |me |ma )?(?:pencil )?sharpeners?\b",
    r"\b(?:my|me|ma) (?:skin|arms?|legs?|wrists?|thighs?|hands?)\b(?: \S+){0,4} (?:till|until|til|untill) "
    r"(?:it|they|its|theyre) (?:bleeds?|bled|bleeding|breaks?|hurts?)\b",
    r"\b(?:my|me|ma) (?:arms?|legs?|wrists?|thighs?)\b(?: \S+){0,4} (?:till|until|til|untill) "
    r"(?:it|they|its|theyre) (?:raw|bruised|bruises)\b",
    # hurting oneself against a wall: "punched the wall till my knuckles split, feels better",
    # "hes been hitting his head off the wall when hes upset"
    rf"\b(?:punched|punching|punch|hit|hitting|smashed|smashing) (?:the |a |our |me |my )?walls?\b{GAP}"
    r"\b(?:feels? better|better than|calms? me|to feel|knuckles (?:are |)(?:split|bleeding|bust|burst)|"
    r"deserve|make it stop|stop feeling)\b",
    r"\b(?:hitting|banging|bashing|smashing|hits|bangs|smashed|banged|bashed) (?:his|her|my|their|me|ma) (?:own )?head "
    # (not a knock on a cupboard or car door: "i banged my head on the cupboard door")
    r"(?:off|on|against|into) (?:the |a |his |her |my |their |me |ma )?"
    r"(?:(?!cupboard|car|fridge|oven|cabinet|locker|wardrobe|shower|van|bus|kitchen)\w+ )?(?:wall|walls|floor|door)\b",
    # signs others see: "plasters on her wrists", "scratches all up his forearm", "burns herself
    # with hair straighteners"
    r"\b(?:plasters|bandages|scratches|marks|cuts|scars|burns) (?:on|all (?:up|over|down)) (?:her|his|their) "
    r"(?:fore)?(?:arms?|wrists?|thighs?)\b",
    r"\b(?:burns|cuts|hurts|harms|scratches|hits|punches|starves) (?:himself|herself|themselves|themself)\b",
    # hiding what would show it: "been hiding plasters in me locker", "hiding the marks"
    r"\b(?:hiding|hide|hid|hidin) (?:the |my |me |ma |all the |)(?:plasters|bandages|razors?|razor blades|"
    r"marks|cuts|scars|burns|arms|wrists)\b",
    # a pencil sharpener taken apart for its blade
    rf"\b(?:sharpener|sharpeners)\b{GAP}\b(?:blade|blades)\b(?: \w+){{0,2}} (?:missing|gone|taken out|out)\b|"
    r"\b(?:taken|took|taking|broke|broken|snapped|smashed) (?:apart |open |)(?:a |the |my |his |her |)"
    r"(?:pencil )?sharpeners? (?:apart|open)\b|\bsharpeners? (?:taken|took|broken|snapped) (?:apart|open)\b",
    # "the urges are back", "urges are so bad today" (not "urges to eat")
    r"\b(?:the |my |me |ma |)urges (?:are|is|re|have been|been|keep|are getting|getting|are coming|coming) "
    r"(?:so |really |proper |dead |well |that |)(?:bad|strong|back|worse|stronger)\b",
    # "everyone thinks its boxing but i do it to myself" (not "why do i do this to myself")
    r"(?<!\bdo )(?<!\bwhy )\bi do (?:it|this) to myself\b(?! (?:lol|haha|every time|by))",
]

# Weak rules: words that are often everyday ("bleeding" from a paper cut, "hiding" from a
# sister, "got juked" in a game). They still send the message to the second stage, which lets
# it through only when the classifier agrees something may be happening now.
EMERGENCY_INJURY_WEAK = [
    # "my brother cut himsel bad"
    r"\b(?:cut|sliced|slashed|burnt|burned) (?:himself|herself|themselves|myself|meself) (?:really |proper |dead |so |)"
    r"(?:bad|badly|deep|deeply)\b",
    # "i cant breathe im laughing so much" is everyday; "hes on the floor and cant breathe" is not
    r"\b(?:cant|can not|cannot|can hardly|can barely|struggling to|not able to) (?:breathe|breath)\b",
    r"\b(?:unconscious|unresponsive|knocked out cold|out cold)\b",
    r"\b(?:bleeding|bleding|bleedin|bleeds)\b",
    r"\bblood\b.*\b(?:everywhere|pouring|gushing|coming out|wont stop|will not stop|loads|so much)\b",
    r"\b(?:so much|loads of|lots of|a lot of|covered in|pool of|losing) blood\b",
    rf"\b(?:just|been|got|gotten|is|was just|has been|have been|im|i am|ive been|"
    rf"hes been|shes been|theyve been|boys been|mates been|s been) "
    rf"(?:(?!getting |gonna |going |about |gna )\w+ )?{STABBED_SLANG}\b",
    rf"\b{OTHER} (?:just |has |have |)?{STABBED_SLANG} (?:me|him|her|them|my \w+|someone|somebody|a \w+)\b",
    r"\b(?:cut|wound|gash|its|it is|it s) (?:is |s |)(?:deep|really deep|so deep|proper deep|massive|wont close|open)\b",
    r"\b(?:blood|it|its) (?:is |s |)(?:dripping|drippin|pouring)\b|\bdripping (?:off|down|on) (?:my|his|her) \w+",
]
EMERGENCY_DANGER_WEAK = [
    # "hes gonna kill me" is a threat, "this test is gonna kill me" is not
    r"\b(?:going to|gonna|gna|about to|trying to|tryna|tryin to|wants to|want to|will) "
    r"(?:kill|hurt|jump|splash|jook|juke|poke|cut|bore) "
    r"(?:me|us|him|her|my (?:mate|friend|bro|brother|cousin|sister|mum|dad))\b",
    # "help my laptop crashed": a cry for help that starts with "help my"
    r"^(?:help|sos|emergency)[!?]* my\b",
    # "emergency, we're out of biscuits": the word alone is said of small things too
    r"\b(?:its|this is|it is) an emergency\b|^emergency\b(?! number| services| sms| text)",
    r"\b(?:hiding|locked in|locked myself in|hid)\b.*\b(?:from|knife|blade|outside|coming|them|him)\b",
    rf"\b{KNIFE} out\b|\b(?:pulled|pulling|whipped|took|got|brought) (?:out )?(?:a |an |the |his |her |their )?{KNIFE}(?: out)?\b",
    rf"\b(?:waiting|outside|at the (?:door|gate|gates|window))\b.*\b{KNIFE}\b|\b{KNIFE}\b.*\b(?:waiting|outside)\b",
    r"\b(?:someone|somebody|some1|sum1|somone|sumone|someon|some one|sombody|a man|a guy|a boy|"
    r"people|men|they|someones|strangers?|a stranger|(?:\d+|two|three|some) (?:men|guys|lads|people))"
    r"(?: is| s| are| re| just| has| have|){0,2}"
    r" (?:(?:in|inside) (?:my|our|the) (?:\w+ )?(?:house|flat|garden|back garden|hoose|room|shed|barn|garage|"
    r"yard|kitchen|hallway|hall|stairwell|landing)|broke in|broken in|breaking in|"
    r"climbed over|climbing over|climbing in|climbed in|climbed through|trying to get in|banging on)\b",
    r"\b(?:following|followed|chasing|chased) (?:me|us)\b",
    r"\b(?:grabbed|grabbing|tried to grab|trying to grab|tryna grab|tried grabbing) (?:me|us|my (?:arm|wrist|hand|"
    r"hair|neck|throat|hood|coat|jacket|top))\b",
    r"\b(?:smashed|smashing|broke|breaking|tried|trying|tryin|rattling) (?:the |a |our |my )"
    r"(?:back |front |kitchen |bedroom |)(?:window|windows|door|handle|door handle|lock)\b",
    r"\b(?:a |the )?(?:car|van|moped|bike)s? (?:keeps?|that|thats|is|has been) \w*\s?(?:following|driving past|circling|waiting|"
    r"doing laps|going past|coming past|driving round|going round)\b",
    r"\bsame (?:car|van|motor|moped|bikes?) (?:\w+ ){0,3}(?:past|round|by) (?:me |us |)(?:\w+ ){0,2}(?:\d+|two|three|four|"
    r"five|few|couple of|several|loads of) times\b",
    # someone trying to get in: "my ex is tryna get in frew my window"
    rf"\b(?:{INTRUDER}|my ex|(?:his|her) ex|ex) (?:is |s |are |re |keeps |)(?:trying|tryna|tryin) (?:to |)get in "
    r"(?:through |thru |)(?:my|our|the|me|ma) (?:bedroom |back |front |kitchen |)(?:window|door|house|flat|room)\b",
    # cornered: "cornered under the bridge by the canal 3 of em"
    r"\b(?:im|i am|i m|were|we are|we re|got|been|just got|getting) cornered\b|^cornered\b|"
    r"\bcornered (?:in|under|by|at|behind|near|down|up)\b",
]

_GAMES = (
    r"game|games|video game|match|round|ranked|fortnite|cod|call of duty|gta|roblox|minecraft|"
    r"valorant|warzone|apex|overwatch|pubg|cs2|csgo|rainbow six|r6|fifa|fc \d+"
)
# Everyday idioms that use dramatic words. Matches are removed before the rules run, so
# "this song is killing me" is not read as danger.
# Words after an everyday cut ("cut my hand on a", "cut myself shaving") that say it is not
# small: "cut my hand on a broken bottle proper deep wont stop", "blood pissin out".
_CUT_SERIOUS = (
    rf"(?!{GAP}\b(?:not stopping|wont stop|pouring|gushing|deep|really bad|badly|so bad|blood everywhere|"
    r"(?:pishing|pissing|spurting|squirting|loads of|so much|lots of) blood|"
    r"blood (?:\w+ )?(?:pishing|pissing|pishin|pissin|pouring|gushing|spurting|squirting|everywhere)|"
    r"soaked|soaking|stitches|squirting|spurting|gushing|pumping|"
    r"cant (?:stop it|get it to stop)|(?:bleeding|bleedin) (?:loads|so much|a lot|everywhere|bad))\b)"
)
IDIOMS = [
    # betrayal, not a wound: "my best mate stabbed me in the back, he told everyone"
    r"\b(?:\w+ )?(?:stabbed|stabbing|knifed) (?:me |us |him |her |)in the back\b"
    rf"(?={GAP}\b(?:told|telling|tells|so called|snake|lied|lying (?:to|about)|secret|secrets|fancy|gossip|betray\w*|"
    r"went off with|gone off with|cheated|cheating|dumped|ditched|"
    r"grassed|snitched|behind my back|screenshot\w*|group ?chat)\b)|"
    r"\b(?:so called|best|fake|ex) (?:mate|friend|bestie|bf|gf)s? (?:\w+ )?(?:stabbed|knifed) "
    rf"(?:me|us) in the back\b(?!{GAP}\b(?:blood|bleeding|knife|hospital|ambulance)\b)",
    # "got proper stabbed in the back by his gf", "a stab in the dark"
    r"\b(?:stabbed|knifed) (?:me |us |him |her |)in the back by (?:his|her|my|me|ma|their|the) (?:own |so called |"
    r"best |)(?:gf|bf|girlfriend|boyfriend|ex|mate|m8|pal|friend|bestie|teammate|team mate|team|squad|manager|boss)s?\b"
    rf"(?!{GAP}\b(?:blood|bleeding|knife|hospital|ambulance)\b)",
    r"\bstab in the dark\b",
    # "on the edge of my seat" (a film), not the edge of a roof
    r"\bon the edge of (?:my|our|your|ur|their|his|her) seats?\b",
    # a little brother or a dog that will not leave someone alone: "my brother keeps following me around"
    r"\b(?:my|me|ma) (?:little |wee |baby |younger |big |older |)(?:brother|bro|sister|sis|cousin|dog|puppy|cat) "
    r"(?:keeps?|keep on|is|s|always) (?:following|followin) (?:me|us) (?:around|about|everywhere|round|aboot)\b",
    r"\b(?:\w+ )?(?:is |are |s |re |were |was |)(?:killing|murdering|slaying) (?:me|us|it)\b"
    r"(?! (?:with|if))",
    r"\bkilling it\b|\bkilled it\b|\bslayed\b|\bslay\b|\bmurdered (?:that|it|the)\b|\bslaughtered\b",
    r"\b(?:killing|murdering|destroying) (?:my|me|ma) (?:brain|head|feet|back|legs|neck|ears|eyes|vibe|mood|"
    r"social life|grades)\b",
    r"\bin danger of (?:failing|losing|missing|getting|being|running|going|becoming|dropping)\b",
    r"\b(?:dying|died|dead|die) (?:of|from|laughing|with) (?:laughter|laughing|embarrassment|cringe|"
    r"boredom|heat|hunger|shame)\b",
    r"\b(?:im|i am|i m|literally|actually|nearly|almost) (?:dead|dying|deceased|died)\b"
    r"(?= *(?:lol|lmao|lmfao|haha|😂|🤣|💀|😭|when|$))",
    r"\bdead tired\b|\bdead (?:funny|good|easy|boring)\b",
    # laughing too hard to breathe: "i cant breathe im laughing so much", "laughed so hard i
    # couldnt breathe" (not "lol", which a frightened teenager also writes)
    r"\b(?:cant|can not|cannot|couldnt|could not) (?:breathe|breath)\b"
    r"(?= *(?:im |i am |i m |from |with |)(?:laughing|laughin|😂|🤣))|"
    r"\b(?:laughing|laughin|laughed) (?:so (?:much|hard) |that much |)(?:that )?(?:i |im |i m |)"
    r"(?:cant|can not|cannot|couldnt|could not) (?:breathe|breath)\b",
    # food and cooking: "stab the potato before you microwave it", "stabbing at his dinner"
    r"\b(?:stab|stabs|stabbing|stabbed|poke|poking|prick|pricking|pierce|piercing) (?:at )?(?:a |the |his |her |"
    r"my |me |their |some |)(?:\w+ )?(?:potato|potatoes|spud|spuds|sausages?|film|lid|dinner|tea|food|plate|"
    r"peas|chips|meat|steak|veg|vegetables|pasta|cake|pie|lasagne|beans|yolk|egg|eggs|straw|straws|juice|"
    r"carton|capri sun|yoghurt|yogurt)\b"
    r"(?! (?:shop|shops|house|place|bar|restaurant|stall|van|takeaway|room|factory|market|hut))",
    r"\b(?:my |the |)(?:phone|battery|laptop|tablet|console|controller|plant|plants|charger|pc|ipad) "
    r"(?:is |s |)(?:about to |gonna |going to |)(?:dying|dead|died|die)\b",
    r"\b(?:could|would) (?:kill|murder|die) for\b|\bcould murder (?:a|an|some)\b",
    r"\bcut (?:my|his|her|their|your|ur) (?:own )?(?:hair|fringe|nails|losses)\b(?! on purpose)|"
    rf"\bcut (?:my|his|her|their|your|ur) (?:finger|thumb|hand)\b(?! on purpose){_CUT_SERIOUS}",
    r"\bcut (?:myself|meself|masel|my finger|my hand|my thumb|my knee|my leg) "
    rf"(?:(?:on my \w+ )?(?:shaving|cooking|chopping)|by accident|accidentally|on (?:a|the|some))\b{_CUT_SERIOUS}",
    rf"\b(?:shaving|cooking|chopping)\b.*\bcut (?:myself|meself|masel)\b{_CUT_SERIOUS}",
    r"\bcut (?:the crap|it out|class|school|lessons?|down|back)\b|\bcutting (?:down|back|class|school|lessons?)\b",
    r"\b(?:knife and fork|butter knife|butter with a knife)\b",
    r"\b(?:fortnite|cod|call of duty|csgo|cs2|valorant|roblox|minecraft|fifa|gta|game|games|skin|skins) "
    r"(?:knife|knives|blade)\b",
    r"\b(?:knife|knives|blade) (?:skin|skins|emote|in (?:fortnite|cod|call of duty|csgo|cs2|valorant|roblox|minecraft|gta))\b",
    r"\b(?:bled out|bleeding out|died|killed|stabbed|shanked|shot|knifed) in (?:the |a |my |his |her |)"
    rf"(?:{_GAMES})\b",
    rf"\b(?:in|on|playing|playin) (?:the |)(?:{_GAMES})\b.*\b(?:shot|killed|stabbed|shanked|knifed|died)\b",
    rf"\b(?:shot|killed|stabbed|shanked|knifed)\b.*\b(?:in|on) (?:the |)(?:{_GAMES})\b",
    r"\b(?:stabbed|stabbing|poked|jabbed) (?:me |us |him |her |my \w+ |)(?:by|with) (?:a |an |the |my |his |her |their |)"
    r"(?:\w+s )?(?:pin|pins|needle|fork|thorn|thorns|splinter|cactus|toothpick|bramble|brambles|holly|"
    r"nettle|nettles|rose|roses|rose bush|thistle|twig|branch|stick)\b",
    # a toy: "he said he will stab me with his lightsaber toy lol"
    r"\b(?:stab|stabbed|stabbing|shank|shoot|shot|shooting|kill|cut|slice|chasing|chased|chase|chasin)\b(?: \S+){0,5} "
    r"(?:with|wiv) (?:a |an |the |his |her |their |my |)(?:\w+ )?(?:toy|toys|lightsaber|lightsabers|nerf|nerf guns?|"
    r"plastic|foam|water pistols?|water guns?|super soakers?|water balloons?|snowballs?|pretend|fake|cardboard)\b",
    r"\bkill (?:me now|me) (?:lol|lmao|😂|🤣|💀)",
    # "my mum will kill me if im late", but not "me dads drunk and banging on the door saying
    # hell kill me", nor "mum boyfriend is drunk and he say he will kill us"
    r"\b(?:mum|mom|mam|mums|moms|dad|dads|parents|teacher|miss|sir|nan|gran|coach|sister|brother)\b"
    r"(?![\w ]*\b(?:drunk|banging|kicking|smashing|hitting|punching|knife|blade|weapon|locked|lock|hiding|"
    r"boyfriend|girlfriend|partner|stepdad|step dad)\b)"
    r"[\w ]*\b(?:kill|murder|kills|murders) (?:me|us)\b",
    r"\bbleeding (?:edge|heart|nose)\b|\bnosebleed\b|\bnose (?:is |s |keeps |keeps on |wont stop |will not stop |is still |s still |)bleeding\b",
    # "bleeding" as a swear word: "bleedin freezin", "bleeding skint", "bleeding money"
    r"\bbleed(?:ing|in) (?:money|cash|skint|freezing|freezin|cold|cauld|roasting|boiling|hot|"
    r"useless|ridiculous|annoying|typical|brilliant|mental|hell|nora|joking|idiot)\b",
    r"\b(?:ears|eyes) (?:are |is |)bleed(?:ing|in)\b",
    r"\bbleed(?:ing|in|s)? (?:me|him|her|us|them|you|u|my \w+) dry\b",
    r"\b(?:overdosed|od d|oded|overdosing|overdose) on (?:haribo|sweets|sugar|chocolate|sweeties|skittles|chips|"
    r"crisps|nuggets|biscuits|cookies|doughnuts|donuts|pasta|cheese|sunshine|vitamin d|"
    r"fizzy|coffee|red bull|monster|energy drinks?|netflix|tiktok|youtube|anime|revision|carbs|pizza|cake|"
    r"irn bru|fanta|pepsi|tango|lucozade|tea|christmas|(?:the )?(?:christmas )?decorations|glitter|fake tan|perfume|"
    r"lynx|kpop|k pop|bubble tea|easter eggs|screen time|screens|adverts|ads|"
    r"snacks|sprinkles|junk food|maccies|mcdonalds|kfc|greggs|gaming|homework|exams)\b"
    rf"(?! (?:to|and|an|n) end)(?! (?:and|an|n|with|plus) (?:\w+ )?(?:{MEDICINES}|vodka|alcohol|drink))",
    # "sugar overdose", "an overdose of carbs", "fifa is an overdose of adverts", "put an
    # overdose of fabric softener in the wash" (not salt, caffeine or anything swallowed to harm)
    r"\b(?:sugar|carb|carbs|chocolate|screen time|cuteness|drama|sass) (?:overdose|od)\b|"
    r"\b(?:an |a |)overdose of (?:carbs|sugar|adverts|ads|drama|homework|cuteness|"
    r"chocolate|sweets|haribo|glitter|fake tan|perfume|lynx)\b(?! (?:to|and|an|n) end)|"
    r"\b(?:an |a |)overdose of (?:fabric softener|washing powder|conditioner|bleach) (?:in|into) (?:the |my |our |)"
    r"(?:wash|washing|washer|machine|washing machine)\b",
    # help with a task, not a cry for help: "can someone help me understand equations"
    r"\b(?:help|helping|helps) (?:me |us |him |her |)(?:to |)(?:understand|revise|learn|study|spell|write|work out|"
    r"figure out|choose|pick|decide|practise|practice|plan|cook|bake|set up|install)\b|"
    r"\bhelp(?: me)?(?: pls| please| plz)? what (?:even )?(?:is|are) (?:a|an) \w+\b|"
    r"\bhelp (?:me |us |)with (?:my |the |this |some |me |ma |)(?:\w+ )?(?:homework|revision|essay|maths|math|"
    r"coursework|english|science|history|geography|spelling|cv|application|project|assignment|exam|test|quiz|"
    r"speech|presentation|hair|makeup|outfit)\b",
    r"\b(?:bank|account|bank account|wallet|purse|money|savings|card|pocket|pockets) (?:is |s |are |)"
    r"(?:bleeding|bleedin|bled dry)\b",
    # small everyday bleeding: a wobbly tooth, gums after the dentist, a paper cut, a period
    r"\b(?:wobbly tooth|tooth|teeth|gum|gums|paper cut|papercut|period|hangnail|spot|pimple|"
    r"cuticle|lip|lips)\b[\w ]{0,30}\bbleed(?:ing|in|s)?\b",
    r"\bbleed(?:ing|in|s)?\b[\w ]{0,30}\b(?:wobbly tooth|gum|gums|paper cut|papercut|period|dentist)\b",
    r"\bkilled (?:the|that|this) (?:game|exam|test|match|interview|performance)\b",
    r"\b(?:the|that|this) (?:exam|test|match|game|lesson|day|week) (?:killed|murdered|destroyed) (?:me|us)\b",
    r"\bthat fit is killer\b|\bkiller (?:fit|tune|track|song|look)\b",
]


_WEAK = {
    "emergency_first_aid": [re.compile(p) for p in EMERGENCY_INJURY_WEAK],
    "emergency_help": [re.compile(p) for p in EMERGENCY_DANGER_WEAK],
}
_COMPILED = {
    "emergency_first_aid": [re.compile(p) for p in EMERGENCY_INJURY],
    "emergency_help": [re.compile(p) for p in EMERGENCY_DANGER],
    "crisis_suicidal": [re.compile(p) for p in CRISIS_SUICIDAL],
    "crisis_self_harm": [re.compile(p) for p in CRISIS_SELF_HARM],
}
_IDIOMS = [re.compile(p) for p in IDIOMS]
EMERGENCY_RULES = ("emergency_first_aid", "emergency_help")
# The emergency rules in tiers, most trusted first: medical and sure danger (the classifier may
# doubt them, never overrule them), strong, weak (the classifier decides).
_TIERS: tuple[tuple[str, dict[str, list[re.Pattern[str]]]], ...] = (
    ("medical", {"emergency_first_aid": [re.compile(p) for p in MEDICAL]}),
    ("sure", {"emergency_help": [re.compile(p) for p in SURE_DANGER]}),
    ("", {reply_id: _COMPILED[reply_id] for reply_id in EMERGENCY_RULES}),
    ("weak", _WEAK),
)
CRISIS_RULES = ("crisis_suicidal", "crisis_self_harm")

_NUMBER_WORD = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|a few|couple|a couple|couple of|a couple of|some|several|many|loads of)"
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
# Days in the year people date things by: "on bonfire night", "last ramadan".
_OCCASION = (
    r"(?:bonfire night|halloween|new years? eve|new years? day|new year|christmas day|christmas eve|"
    r"boxing day|easter|eid|ramadan|diwali|valentines day|mothers day|fathers day|pancake day|"
    r"my birthday|his birthday|her birthday)"
)
_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|weds|thurs|fri|sat|sun)"
)
# Words that say an event is over (or not happening now): "got stabbed back in march" needs
# support, not 999. Minutes and hours ago are not here: that can still be an emergency.
_PAST = re.compile(
    r"\b(?:"
    rf"{_NUMBER_WORD} (?:days?|nights?|weeks?|wks?|months?|years?|yrs?|yr|summers?|winters?) (?:ago|back|before)|"
    r"(?:days|weeks|months|years|ages|yonks|time) ago|a while (?:ago|back)|long time ago|years back|"
    rf"last (?:year|month|week|summer|winter|spring|autumn|night|nite|weekend|time|term|christmas|easter|half term|few (?:days|weeks|months|years)|{_DAY}|{_OCCASION})|"
    rf"(?:on|last|this past|that) {_DAY}|{_DAY} (?:night|morning|afternoon|evening) (?:he|she|they|i|we|my)|"
    rf"{_DAY} (?:gone|just gone)|(?:the )?(?:week|weekend|night|day|month|year) before last|"
    rf"(?:on|that|over) {_OCCASION}|"
    r"\bat (?:half term|christmas|easter)\b(?! (?:dinner|lunch|tea|party|market|do|fair|rn|right now|now|service)\b)|"
    rf"(?:in|back in|since|during|over|that) (?:{_MONTH}|the summer|summer|the holidays|half term|lockdown|covid|christmas|easter|(?:19|20)\d\d)|"
    rf"{_MONTH} (?:19|20)\d\d|\b(?:19|20)\d\d\b|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|"
    r"back in (?:the day|primary|year \d+|yr \d+|(?:first|second|third|fourth|fifth|sixth) year|[ps][1-7])|back when|"
    r"(?:on|since) the \d{1,2}(?:st|nd|rd|th)\b|"
    r"when (?:i|ah|he|she|they|we|my \w+|ma \w+) (?:was|were|wis|wur) (?:in (?:year|yr) \d+|in primary|younger|little|"
    r"a kid|a wean|wee|small|\d+)|"
    r"when (?:i|he|she|they|we|my \w+) (?:lived|was living|were living|used to live)|"
    r"turned out (?:fine|ok|okay|alright|to be nothing)|"
    r"in (?:year|yr) \d+ (?:i|he|she|they|we|my)|"
    r"(?<!\bim )(?<!\bi am )(?<!\bis )(?<!\bs )(?<!\bare )(?<!\bre )(?<!\bwere )(?<!\bhes )(?<!\bshes )"
    r"(?:^|(?<= ))(?:in|back in|during) (?:year|yr) \d+\b|"
    r"(?:out of|came out of|woke up from|woken up from) (?:a |the |his |her |their |)"
    r"(?:coma|hospital|intensive care|icu|surgery)|(?:was|were|been) in (?:a |the |)(?:coma|hospital|intensive care|icu)|"
    r"yesterday|the other (?:day|week|night|month)|earlier (?:today|on|this (?:week|month|year))|earlier|"
    r"few days|for days|for weeks|for months|every day|everyday|always|recently|"
    r"used to|anniversary|funeral|passed away|passed(?! out)|rip|r i p|in the past|"
    r"still think|cant stop thinking|keep thinking|trauma|traumatised|flashbacks?|nightmares?|"
    r"(?:is|s|are|re|was|hes|shes|theyre) (?:home|back home|out of hospital|(?:doing )?(?:ok|okay|fine|alright|all right|"
    r"better)) now|"
    r"fine now|ok now|okay now|recovered|recovering|healed|scars?|this morning|this afternoon|"
    r"got away|got home|(?:im|i am|were|we are|hes|shes|theyre) (?:home|safe|ok|okay|fine|alright|"
    r"at (?:my|his|her|our) \w+) now|(?:its|it is|all|everything|everythings) (?:over|calm|quiet) now"
    r")\b"
)
# Questions about the law or about what to do in general, not events happening now. A message
# that starts "can smell gas" or "can see a man with a knife" has dropped its "i": it says what
# is happening.
_HYPOTHETICAL = re.compile(
    r"\b(?:what happens if|what happens when|what if|what would happen|is it illegal|"
    r"how (?:long|many years)|sentence for|prison for|jail for|the law|legal to|illegal to|"
    r"if (?:you|u|someone|somebody|i|ah|a person|your mate|ur mate) (?:get|gets|got|was|were|is|ever)\b|"
    r"hypothetically|in case|just wondering|say (?:someone|somebody|if)|"
    r"^(?:(?:can|could)(?! (?:smell|see|hear|feel|taste)\b)|do|does|did|is|are|how|what|whats|why|when|would|"
    r"will|should|if|who|where|which|wat|wot|hw|r|is there)\b)\b"
)
# Words that say an injury is small: "its not deep", "just a scratch", "put a plaster on". An
# injury rule (not a medical one) then only counts as a weak rule: the classifier decides.
_MINOR = re.compile(
    r"\b(?:"
    r"(?:its|it is|cut is|cuts|wound is|its really|its honestly) not (?:that |very |too |even |)deep|"
    r"(?<!not )(?:only|just|its|it is) (?:a |)(?:little|small|tiny|wee|lil|bit of a|quick) "
    r"(?:cut|cuts|scratch|scratches|graze|grazes|nick|scrape|scrapes|bleed|bit of blood)|"
    r"(?<!not )(?:only|just|its|it is|its just) (?:a |)(?:cut|scratch|scratches|graze|nick|scrape|paper cut)\b(?! (?:on|to) (?:the|his|her|my) (?:neck|throat|chest|head|stomach))|"
    r"(?:a |)(?:tiny|little|small|wee) (?:bit of |drop of |)blood|"
    r"(?:just |only |)a (?:bit|little|lil) (?:pink|red|sore|sting\w*)\b|"
    r"(?:not|isnt|is not|aint|wasnt|was not) (?:even |really |)(?:bleeding|bleedin)|"
    r"nothing (?:bad|serious|major|too bad|to worry about|broken|broke)|"
    r"not (?:too |that |very |)bad (?:just |only |it |)(?:stings?|sore|a bruise|bruised)|"
    r"(?:just|only) (?:stings|a bruise|bruised|sprained|a sprain|a bump)|"
    r"(?:a |)(?:little|small|tiny|wee|slight|mild) (?:headache|bump|bruise|burn|blister|mark)|"
    r"(?:put|putting|got|stuck|need|needs|needed|wants?|with) (?:a |some |another |the |)plasters? on|"
    r"plaster (?:on|job|sorted it|sorts it)|plaster s sorted|(?:needed|needs|need) a plaster"
    r")"
)
# What a small-injury cue never outweighs: a weapon, a stabbing, bleeding that goes on.
_SERIOUS = re.compile(
    rf"\b(?:{KNIFE}|{STABBED}|gun|shot|wont stop|will not stop|not stopping|cant stop|"
    r"still bleeding|keeps? bleeding|(?:loads|lots|so much|a lot) of blood|blood everywhere|"
    r"bleeding (?:loads|so much|everywhere|badly|bad|heavily|a lot)|pouring|gushing|spurting|"
    r"not breathing|unconscious|passed out|ambulance)\b"
)
# A small everyday trouble with a thing ("help my phone fell in the toilet", "emergency, the wifi
# is down"): without a strong rule and without words of danger, no 999.
_TRIVIAL = re.compile(
    r"\b(?:my|the|our|me|his|her) (?:\w+ )?(?:phone|phones|screen|laptop|ipad|tablet|xbox|ps4|ps5|"
    r"playstation|switch|wifi|wi fi|internet|charger|computer|pc|controller|headphones|airpods|printer|"
    r"telly|tv|console|homework|essay|coursework|battery|hair|eyebrows|nails|trainers|account)\b|"
    # a flat battery, the weather, running out of something, a game
    r"\b(?:\d+ ?(?:%|percent|per cent|) battery|battery (?:is |s |)(?:dying|low|on \d+))\b|"
    r"\b(?:out of|run out of|ran out of|no more) (?:biscuits|milk|bread|crisps|snacks|chocolate|sweets|"
    r"toilet roll|loo roll|data|credit|pizza|cereal|coffee|tea)\b|"
    rf"\b(?:in|on|playing) (?:{_GAMES})\b"
)
# Words of real danger or harm: with any of them, a thing, the weather, a creature or a story
# never makes a message everyday ("we were watching a film and a man climbed in").
_REAL_DANGER = re.compile(
    rf"\b(?:{WEAPON}|collapsed|unconscious|not breathing|not moving|cant wake|wont wake|face down|floating|"
    r"drown\w*|on fire|fire|smoke|choked|choking|gasping|seizure|fitting|hit (?:his|her|their|my) head|"
    r"not making sense|stung|climbed in|broke in|"
    r"broken in|breaking in|break in|pulled a|pulled out|car boot|boot of|kidnap\w*|took me|going purple|"
    rf"going blue|turning blue|on the floor|ambulance|police|hospital|this is real|not a joke|{HEAVY_BLEEDING}|"
    rf"{INTRUDER} (?:is |are |s |re |)(?:trying|tryna) to (?:get|break) in|"
    # a person keeping pace: "i sped up he sped up", "crossed the road and so did they" (whatever
    # the place is called: "since cows high street")
    r"(?:he|she|they) (?:\w+ )?(?:sped up|speeds up|speed up)|"
    r"(?:sped up|speed up|walked faster|walk faster|crossed the road|cross the road) (?:and |an |n |)so did (?:he|she|they))\b"
)
# Blood in quantity: real, unless it is in a story ("so much blood in macbeth").
_BLOODSHED = re.compile(r"\b(?:covered in blood|blood on the|blood everywhere|pool of blood)\b")
# The weather: "its bare wet outside", "stuck in, raining again, help".
_WEATHER = re.compile(
    r"\b(?:raining|rain|snowing|(?:bare|so|proper|well|dead|pure|really|too) wet (?:outside|out))\b"
)
# A story, not life: a set text, a film, a song, a game's character. With no word that it is
# happening to someone now, a rule is only weak and neither it nor the classifier alone gives 999.
_FICTION = re.compile(
    r"\b(?:macbeth|romeo and juliet|of mice and men|shakespeare|anime|manga|cartoon|film|movie|cutscene|"
    r"episode|series|tv show|the show|netflix|novel|the play|a play|song|lyrics|music video|"
    r"my character|the character|characters|attack on titan|game of thrones|horror)\b"
)
_HAPPENING = re.compile(
    rf"\b{STRONG_NOW}\b|\b(?:ambulance|outside (?:my|our|the)|at my (?:door|house|school)|help me|"
    r"in my (?:house|flat|room)|following me|chasing me)\b"
)
# A threat or a weapon seen online, in a post, a story or a message: "someone threatened me on
# insta saying theyll stab me", "a lad keeps posting his knife on his story". Serious, and worth
# reporting, but not something happening where the person is, unless other words say so.
_ONLINE = re.compile(
    r"\b(?:on (?:insta|instagram|snap|snapchat|tiktok|whatsapp|facebook|fb|twitter|discord|youtube|"
    r"the group chat|the gc|(?:his|her|their|my|a) story)|(?:his|her|their|a) story|posted|posting|"
    r"(?:a|the|his|her|their) (?:post|vid|video|reel|snap)|dm|dms|dmd|dmed|voice note|voice notes|comments|"
    r"group chat|fake account|online)\b"
)
# ...unless they say where the danger is, that it is coming, or soon: "hes outside with a knife",
# "theyre on the way to my house", "when i get off the bus", "comin to the site tonight".
_COMING = re.compile(
    r"\b(?:on (?:the|their|his|her|my) way|(?:coming|comin|cumin) (?:round|over|here|to|for)|"
    r"know where (?:i|we|he|she|they) (?:live|lives|are|is)|outside|ootside|near|nearby|round the corner|"
    r"waiting|waitin|when (?:i|we|he|she|they|u|you) (?:get|gets|leave|leaves|go|goes|come|comes|finish|walk)|"
    r"by (?:my|our|me|ma)|at (?:my|our|me|ma)|at the (?:park|shop|shops|station|bus stop|gate|gates|door)|"
    r"here|tonight|today|the day|after school|later|tomorrow|now|rn)\b"
)
# The message ends by saying the scare was nothing: "someone at the door... oh its just the amazon
# guy", "turned out to be the dominos driver", "false alarm". Only when nothing is said after it
# but a few words with no danger in them ("its just the dog and me and someone is trying to get
# in" is not over), and with no weapon or real harm anywhere in the message. Family members and
# dogs are not in it: "its my dad" or "its the dog from next door" can be the danger.
_DELIVERY = (
    r"amazon|evri|hermes|dpd|dhl|ups|yodel|royal mail|postman|post man|postie|parcel man|parcel guy|parcel|"
    r"courier|delivery|deliveroo|uber eats|just eat|dominos|pizza|takeaway|tesco|asda|sainsburys|"
    r"window cleaner|gas man|meter man"
)
_KNOWN = (
    r"mate|mates|pal|pals|friend|friends|cousin|cousins|cuz|brother|bro|sister|sis|mum|mam|mom|"
    r"mummy|dad|da|nan|nana|gran|granny|grandad|grandma|uncle|auntie|aunt|neighbour|neighbours|"
    r"caretaker|cleaner|teacher|lad|lads|guy|bloke|man|woman|lady|kid|boy|girl|bin men|binmen|"
    r"bin man|dog|drunk|drunk guy|landlord|plumber|builders?|workmen|"
    rf"{_DELIVERY}"
)
_RESOLVED = re.compile(
    r"\b(?:false alarm|panic over|(?:worried|scared|panicking|panicked|freaking out) (?:for|over) nothing|"
    r"(?:its|it was|twas|turned out (?:to be|it was|its)|turns out (?:its|it was|to be)|prob|probably) "
    rf"(?:just |only |)(?:the |a |an |some |our |)(?:{_DELIVERY}|wee ones|little ones|kids|cat|cats|fox|foxes|wind)|"
    # "just evri", "only the parcel man": a delivery, though not "only kids at home"
    rf"(?:just|only) (?:the |a |an |some |our |)(?:{_DELIVERY})|"
    # "its just them playing footy", "theyre only messing"
    r"(?:its|it was|it s|theyre|they are|they were|turned out) (?:just|only) (?:them |him |her |the lads |the boys |"
    r"the kids |)(?:playing|messing|mucking about|having a laugh|play fighting|play fight|doing \w+ moves)|"
    # "turns out it was my cousin", "it was just a lad goin to the same shop": someone known, or
    # a passer-by, after "just", "only" or "turned out"
    r"(?:(?:its|it s|it was|it were|twas|was) (?:just|only) |(?:turned|turns) out (?:it was |it s |its |"
    r"to be |he was |she was |)(?:just |only |))(?:my |me |ma |our |a |an |the |his |her |some |one of "
    rf"(?:my |me |ma |our |the |)|)(?:\w+ |)(?:{_KNOWN}))\b"
)
_RESOLVED_TAIL = 8  # words after it, at most
# Words after it that say the person it turned out to be is the trouble: "turns out its my dad
# and hes drunk and angry", "its only my ex, hes back".
_TROUBLE_AFTER = re.compile(
    r"\b(?:drunk|angry|mad|raging|fuming|kicking off|smash\w*|shout\w*|scream\w*|hit\w*|punch\w*|"
    r"hurt\w*|(?:hes|shes|theyre|he s|she s|they re|he is|she is|they are) back|wont (?:leave|go)|will not (?:leave|go)|not supposed|not allowed|banned|"
    r"restraining|bail|out of prison|off his head|off her head|high|wasted)\b"
)

# A light tone: a laugh, "nvm", or words that say the person is fine now ("shes grand", "now he
# is fine", "theyre all laughing about it"). With no rule, the classifier alone gives no 999 then,
# unless later words take it back ("lol. actually no", "jk").
_LIGHT = re.compile(
    r"(?:\b(?:lol+|lool+|lmao+|lmfao+|rofl|(?:ha){2,}h?|a?haha\w*|hehe\w*|nvm|never ?mind)\b|😂|🤣)|"
    r"\b(?:(?:hes|shes|theyre|he is|she is|they are|he s|she s|they re|its|it s|were|we are|we re) "
    r"(?:fine|grand|ok|okay|alright|all right|all good|sound|grand now|fine now)|"
    r"now (?:hes|shes|theyre|he is|she is|they are|its|it is) (?:fine|grand|ok|okay|alright|all good)|"
    r"(?:all|everyone|everybody|theyre all|they re all|they are all|were all|we re all|we are all) "
    r"(?:laughing|laughin|finding it funny|think its funny|thought it was funny))\b"
)
_TAKEN_BACK = re.compile(
    r"\b(?:actually|jk|just kidding|only joking|not really|not funny|not fine|not ok|not okay|"
    r"not joking|no joke|im serious|for real|seriously|wait|but)\b"
)

# Words that say self-harm is a habit, not an injury now: "she keeps banging her head against
# the wall when shes stressed", "i always punch the wall when im angry".
_HABIT = re.compile(
    r"\b(?:keeps|always|every time|everytime|whenever|all the time|most nights|every night|"
    r"when (?:i|im|i m|she|shes|she s|he|hes|he s|they|theyre|they re) (?:get |gets |am |is |are |feel |feels |)"
    r"(?:stressed|angry|mad|upset|sad|anxious|worked up|wound up|overwhelmed|frustrated))\b"
)

# A small creature is what is frightening ("a wasp is chasing me help", "chased by the geese",
# "theres a massive spider in the bathroom please help"): with nothing serious and no allergic
# reaction, a rule about danger is only weak, and neither it nor the classifier alone gives 999.
_CREATURE = re.compile(
    r"\b(?:wasps?|bees?|hornets?|spiders?|moths?|flies|daddy long legs|goose|geese|swans?|seagulls?|"
    r"gulls?|pigeons?|crows?|mouse|mice|hamsters?|crabs?|frogs?|toads?|slugs?|snails?|"
    r"ants|cockroach(?:es)?|bugs?|insects?|squirrels?|cows?|sheep|lambs?|ewes?|"
    r"cats?|kittens?|puppy|puppies|horses?|ponies)\b"
)
_ALLERGY = re.compile(
    r"\b(?:allergic|allergy|anaphyla\w*|epi ?pen|swelling|swollen|throat|breathe|breathing|"
    r"crushed|trampled|kicked (?:him|her|me) in the head|mauled|savaged)\b"
)
_DANGER_WORDS = re.compile(
    r"\b(?:follow\w*|chas\w*|attack\w*|threat\w*|hiding|hidin|hid|scared|terrified|frightened|"
    r"broke in|breaking in|outside|gang|weapon|gun|fight|jumped|robbed|mugged|kill|hurt|die|dying|"
    r"cornered|surround\w*|circling|threat\w*|something in (?:his|her|their) hand|scard|skared|scaird|trapped|"
    r"on (?:my|me|ma) own|by (?:myself|meself|masel)|(?:nobody|no one|noone) (?:about|around)|"
    r"locked (?:me|us) in|(?:wont|will not|no) let (?:me|us) (?:out|go|leave)|"
    r"waters? (?:is |s |)(?:coming in|rising)|tide (?:is |s |)coming in|cant get (?:the )?doors? open|"
    r"give (?:him|them|her|me|us) (?:my|your|ur|yer|ya|their|his|her)|"
    r"(?:will|gonna|going to|gna|wants to|tryna) (?:cut|stab|shank|hurt|kill|batter|jump|rob|bore) (?:me|us|you|u))\b"
)
# Someone hurt or in danger now, said plainly: "bleeding loads", "not breathing", someone who
# has broken in or is in the house or garden, people with knives waiting for us.
_PLAIN_HARM = re.compile(
    rf"{HIDDEN_WEAPON}|{STABBED_HELP}|\b(?:still bleeding|{HEAVY_BLEEDING}|wont stop bleeding|not breathing|{CANT_WAKE}|"
    r"losing (?:loads of |so much |)blood|this is real|"
    rf"{INTRUDER}s? (?:has |have |s |just |)(?:broke|broken|breaking|is breaking|are breaking) in|"
    rf"(?:{INTRUDER} (?:is |s |are |re |)|there(?:s| is| are|re) (?:a |an |some |)"
    r"(?:man|guy|stranger|people|men|someone|somebody|lads?|boys?) )(?:in|inside) (?:our|my|the) "
    r"(?:back |front |)(?:house|garden|flat|home|kitchen|hall|hallway|yard)|"
    rf"{KNIFE}s? (?:\S+ ){{0,4}}waiting for (?:us|me)|"
    rf"waiting for (?:us|me) (?:\S+ ){{0,4}}(?:with|wi|wiv|wid) (?:a |an |)(?:\w+ )?{KNIFE}|"
    # someone who will not stop touching, a car that wants someone in it
    r"(?:keeps|keep|kept|is|been|wont stop|keeps on) (?:touching|touchin|grabbing|grabbin|groping|rubbing) (?:me|my "
    r"(?:leg|legs|bum|thigh|thighs|chest|boobs|waist|knee|body))|"
    r"(?:shouting|shoutin|saying|sayin|telling|tellin|keeps? (?:saying|shouting|telling)) (?:me |us |)(?:to |)get in|"
    r"(?:asking|askin|asked|keeps asking|offering|offered) (?:if )?(?:me|us|we|i) (?:want |wanted |)a lift)\b"
)
# Someone from an earlier story is here now, with a danger rule: "the guy who stabbed my
# brother last year is outside our house now with a knife", "they rushed him monday gone and
# now theyre back at the door". The time words belong to the story; these say the danger is
# here again. Not with an injury rule: "he got stabbed last year, hes outside now playing
# football" is still a story that is over. (With no rule, it lets the classifier decide.)
_HERE_AGAIN = re.compile(
    r"\b(?:(?:is|s|are|re|hes|shes|theyre) (?:\w+ ){0,2}(?:outside|at (?:the|my|our) "
    r"(?:door|window|gate))\b(?: \w+){0,4}? now|"
    r"now (?:hes|shes|theyre|he is|she is|they are|theyve|they have|he has|she has) "
    r"(?:\w+ ){0,3}(?:outside|at (?:the|my|our) (?:door|window|gate)|banging|kicking|trying to get in)|"
    r"just (?:walked|came|come|burst|stormed) (?:in|into))\b"
)
# How a body is now, in the present tense: "i feel sick and shaky", "cant see straight", "my
# hearts going mad", "loads of blood", or a place of danger ("im on the bridge"). With a crisis, the 999 line goes above the helpline
# reply, whatever the classifier says: someone who has hurt themselves or taken something, and
# feels it, may need an ambulance. With a crisis, pills taken are enough ("ive already taken the
# pills, dont want to be here").
_BODY_NOW = re.compile(
    r"\b(?:feel|feeling|feels|felt|im|i am|im going|going|gone|getting) (?:so |really |proper |dead |ever so |"
    r"well |that |very |all |a bit |bit |)(?:sick|shaky|shakey|dizzy|faint|funny|weird|woozy|numb|sleepy|drowsy|"
    r"cold|light headed|lightheaded)\b(?! (?:of|and tired|to death|about|in the head|when|that|like))|"
    r"\b(?:cant|can not|cannot|cor|struggling to) (?:see straight|see properly|see right|breathe|breath|stand up|stay awake|"
    r"keep my eyes open|feel my)\b|\b(?:vision|eyes) (?:is |are |s |)(?:going |gone |)(?:blurry|funny|weird)\b|"
    r"\b(?:heart|hearts|heart s) (?:is |s |)(?:racing|pounding|going mad|going crazy|beating (?:so |really |)fast)\b|"
    r"\b(?:being sick|been sick|throwing up|thrown up|puking|vomiting|slurring|passing out|blacking out)\b|"
    r"\b(?:everything|room|everythings|rooms|head) (?:is |s |)(?:spinning|spinnin)\b|"
    r"\b(?:loads of|so much|lots of|a lot of) blood\b|\bblood everywhere\b|\bwont stop bleeding\b|"
    r"\b(?:gone|going|turned|its|skin is|skins) (?:all |really |)(?:white|blistered|blistery|blistering|black|charred)\b|"
    r"\b(?:hurts|hard|painful) to (?:breathe|breath|swallow)\b|"
    r"\b(?:needs?|needing|will need|probably needs?) (?:stitches|stitching|glueing|gluing)\b|\bgaping\b|"
    r"\b(?:passed out|blacked out|keep passing out|keep blacking out|went dark|went black|woke up on the floor)\b|"
    r"\b(?:head|heads) (?:is |s |)(?:pounding|banging|killing me)\b|"
    r"\b(?:split|splitting|ripped|torn) open\b|\bmumbling\b|"
    r"\b(?:hand|hands|wrist|wrists|finger|fingers|knuckles|arm|arms) (?:is |are |s |re |)(?:look |looks |"
    r")(?:broke|broken|snapped|wrong)\b|"
    # ...or what is at hand: "got the pills out", "sat here with the blade"
    r"\b(?:got|have|holding) (?:the |a |my |all the |all my |)(?:pills|tablets|blade|blades|razor|razors|"
    r"rope|belt) (?:out|ready|in my hand|in front of me|next to me|lined up|here|with me)\b|"
    r"\b(?:sat|sitting|sat here|sitting here) with (?:the |a |my |all the |all my |)(?:pills|tablets|blade|"
    r"blades|razor|razors|rope|belt)\b|"
    r"\b(?:ive|i have|i|just|already) (?:already |just |)(?:taken|took|swallowed|necked|downed) (?:some |)"
    r"(?:stuff|something|it|them|everything)\b|"
    # ...or that it is about to be done: "doin it now", "sent me goodbye", "his last message",
    # "thinking to do something worse tonight", "came here to finish everything", "sent a photo of
    # pills" (not "gonna jump": off the diving board, or a bridge if that song plays again)
    r"\b(?:doing|doin|gonna do|going to do) it (?:now|rn|right now|tonight)\b|"
    r"\b(?:said|says|saying|sent|send|texted|text|messaged|message) (?:me |us |)goodbye\b|"
    r"\b(?:his|her|my|their) last message\b|\b(?:do|doing) (?:something |smthn |sth |summat |)worse\b|"
    r"\bcame (?:here|out here|up here|down here) to (?:end|finish|do)\b|"
    r"\b(?:hurt|cut|burnt|burned) (?:myself|meself|masel) (?:really |so |proper |dead |)(?:bad|badly)\b|"
    r"\b(?:photo|photos|pic|pics|picture) of (?:\w+ ){0,3}(?:pills|tablets|rope|blades?|razors?)\b|"
    r"\b(?:stood|standing|sat|sitting|im|i am|hes|shes|he is|she is) at the (?:edge|end) of (?:the |a |)(?:\w+ )?"
    r"(?:quarry|cliff|cliffs|pier|harbour|harbour arm|jetty|bridge|roof|platform|river|dock|docks|canal)\b|"
    # ...or where the person is: "im on the bridge over the railway"
    rf"\b{UP_HIGH}\b|\b(?:im|i am) (?:stood |standing |sat |sitting |lying |)on the (?:railway|train|tube) ?"
    r"(?:line|lines|tracks|track)\b|"
    # ...or what was done to it: "ive already taken the pills", "i take all tablets i find"
    r"\b(?:taken|took|take|swallowed|necked|downed|had|ate|eaten) (?:the |my |some |all |all the |all my |all of |loads of |a load of |"
    r"a lot of |\d+ |like \d+ |)(?:\w+ )?(?:pills|tablets|meds|medication|paracetamol|painkillers|antidepressants)\b"
)
_STRONG_NOW = re.compile(
    rf"\b{STRONG_NOW}\b|\bjust now\b|\b(?:minutes?|mins?|seconds?|secs?) ago\b|"
    r"\b(?:is|s|are|re|been|keeps?|hes|shes|im) (?:\w+ )?(?:slurring|slurred)\b"
)


@cache
def rules() -> Prefilter:
    """Every pattern above, with the strings each needs: a pattern whose strings are not in a
    message cannot match it and is not run (bot/prefilter.py); the answers are the same.
    Working the strings out takes about a tenth of a second, so it is done the first time a
    message is read (the bot does it while it starts), not by every command that imports
    this module (`health`, which containers run every 10 to 30 seconds, never reads a message)."""
    return Prefilter(
        [
            _IDIOMS,
            *(patterns for _, tiered in _TIERS for patterns in tiered.values()),
            *(_COMPILED[reply_id] for reply_id in CRISIS_RULES),
            *(
                [cue]
                for cue in (
                    _PAST,
                    _HYPOTHETICAL,
                    _MINOR,
                    _SERIOUS,
                    _TRIVIAL,
                    _REAL_DANGER,
                    _BLOODSHED,
                    _WEATHER,
                    _FICTION,
                    _HAPPENING,
                    _ONLINE,
                    _COMING,
                    _CREATURE,
                    _ALLERGY,
                    _DANGER_WORDS,
                    _PLAIN_HARM,
                    _STRONG_NOW,
                    _HERE_AGAIN,
                    _BODY_NOW,
                )
            ),
        ]
    )


WINDOW = 600
OVERLAP = 200


@dataclass(frozen=True)
class SafetyMatch:
    """Which safety reply a message needs, and the rule that caught it (for tests and logs)."""

    reply_id: str
    rule: str


@dataclass(frozen=True)
class Signals:
    """What the rules saw in a message.

    emergency / crisis: the reply a rule asks for (None when no rule fired), with the rule.
    weak: the emergency rule is one of the weak ones (words that are often everyday).
    medical: the emergency rule is one the classifier never overrules: one of the MEDICAL ones, or
    danger told by two signs at once (SURE_DANGER).
    past: time words say the event is over ("back in march", "hes home now").
    hypothetical: a question about what would happen, not an event.
    still: words say it is happening now all the same ("still bleeding", "right now").
    plain_harm: words say plainly that someone is hurt or in danger now ("bleeding loads",
    "not breathing", "someone broke in", "they're waiting for us with knives"): the classifier
    may doubt a strong rule then, never overrule it.
    minor: words say an injury is small ("its not deep", "just a scratch", "put a plaster on"),
    and none say it is serious (a knife, a stabbing, bleeding that will not stop).
    trivial: the trouble is with a thing ("help my phone fell in the toilet", "1% battery
    someone help"), the weather, a small creature ("a wasp is chasing me") or a story ("so much
    blood in macbeth"), and no medical rule fired and nothing says it is serious: a strong cry
    for help becomes weak, and no 999 comes from a weak rule or the classifier.
    idiom: dramatic words were used in an everyday way ("bleeding skint", "stabbed by a pin",
    "this song is killing me"): with no rule left, the classifier alone gives no 999.
    body_now: words say how a body is now ("i feel sick and shaky", "cant see straight"), or
    what is at hand ("got the pills lined up"), or that it is about to be done ("doin it now",
    "sent me goodbye", "came here to end it"): with a crisis, the 999 line goes above the
    helpline reply.
    resolved: the message ends by saying the scare was nothing ("someone's at the door... oh
    its just the amazon guy", "false alarm"): as with an idiom, with no rule the classifier
    alone gives no 999, and a strong rule gives way to it more easily.
    online: the threat or the knife was seen online ("threatened me on insta saying theyll stab
    me", "keeps posting his knife on his story"), and no words say it is coming or soon: the
    999 line goes above the answer (about reporting it online), never the emergency reply.
    Words for where the danger is or when ("outside", "near my house", "when i get off the bus",
    "tonight") keep it an emergency.
    light: the message has a light tone nothing takes back ("lol", "nvm", "shes fine now",
    "theyre all laughing about it") and nothing serious in it: with no rule and no crisis, the
    classifier alone gives no 999 unless it is all but certain (thing_sure).
    habit: words say the harm is a habit ("she keeps banging her head against the wall when shes
    stressed", "i always punch the wall when im angry"): with a crisis, a small share for
    someone hurt now does not put the 999 line above the helpline, unless other words say it is
    happening now or how the body is.
    """

    emergency: str | None = None
    emergency_rule: str | None = None
    weak: bool = False
    medical: bool = False
    crisis: str | None = None
    crisis_rule: str | None = None
    past: bool = False
    hypothetical: bool = False
    still: bool = False
    minor: bool = False
    trivial: bool = False
    idiom: bool = False
    plain_harm: bool = False
    body_now: bool = False
    resolved: bool = False
    online: bool = False
    habit: bool = False
    light: bool = False

    @property
    def emergency_now(self) -> bool:
        """A rule fired and nothing says the event is over or only a question."""
        return self.emergency is not None and (self.still or not (self.past or self.hypothetical))


def _ing_words() -> frozenset[str]:
    """Every "-ing" word the rules and cues are written with ("showing", "bleeding"), whose
    stem is at least three letters (so "thing" and "ting" are not among them)."""
    sources = [
        *MEDICAL, *SURE_DANGER, *EMERGENCY_INJURY, *EMERGENCY_DANGER, *CRISIS_SUICIDAL,
        *CRISIS_SELF_HARM, *EMERGENCY_INJURY_WEAK, *EMERGENCY_DANGER_WEAK, *IDIOMS,
        *(cue.pattern for cue in (_PAST, _HYPOTHETICAL, _STRONG_NOW, _BODY_NOW, _DANGER_WORDS,
                                  _PLAIN_HARM, _REAL_DANGER, _HAPPENING, _HERE_AGAIN, _MINOR,
                                  _SERIOUS)),
    ]  # fmt: skip
    return frozenset(
        word
        for source in sources
        for word in re.findall(r"[a-z]+ing\b", re.sub(r"\\[a-zA-Z]", " ", source))
        if len(word) >= 6
    )


# "showin", "sayin", "comin": many people drop the g. The rules are written with it, so a
# word that is one of theirs without its g gets it back ("cousin" and "begin" are not).
_DROPPED_G = re.compile(r"\b([a-z]{3,})in\b")
_ING_WORDS = _ing_words()


def _restore_g(match: re.Match[str]) -> str:
    word = match.group(1) + "ing"
    return word if word in _ING_WORDS else match.group(0)


# Scots and northern negatives, said the way the rules read them: "i cannae wake her" is
# "i cant wake her", "he isnae breathing" is "he isnt breathing".
_SCOTS_NOT = {
    "cannae": "cant",
    "canna": "cant",
    "canny": "cant",
    "cannie": "cant",
    "winnae": "wont",
    "willnae": "wont",
    "wullnae": "wont",
    "wilnae": "wont",
    "dinnae": "dont",
    "dinna": "dont",
    "didnae": "didnt",
    "didna": "didnt",
    "doesnae": "doesnt",
    "isnae": "isnt",
    "isna": "isnt",
    "wasnae": "wasnt",
    "couldnae": "couldnt",
    "wouldnae": "wouldnt",
    "shouldnae": "shouldnt",
    "havnae": "havent",
    "havenae": "havent",
    "hasnae": "hasnt",
    "arenae": "arent",
    "winna": "wont",
    "wilna": "wont",
    "dunna": "dont",
    "divvent": "dont",
    "divnt": "dont",
    "wisna": "wasnt",
    "wisnae": "wasnt",
    "widna": "wouldnt",
    "widnae": "wouldnt",
    "cor": "cant",
}
# The small words of Scots, Shetland and northern English, said the way the rules read them:
# "der a fire in da kitchen, canna get oot" is "there a fire in the kitchen cant get out".
# Only the rules read these (the models see the message as it was written), and only words
# that mean nothing else in a message to the bot are here ("wis", was or us, is not).
_DIALECT = {
    "der": "there",
    "dey": "they",
    "dem": "them",
    "oot": "out",
    "aff": "off",
    "doon": "down",
    "roon": "round",
    "aboot": "about",
    "hoose": "house",
    "ower": "over",
    "intae": "into",
    "fae": "from",
    "frae": "from",
    "tae": "to",
    "ta": "to",
    "wi": "with",
    "hame": "home",
    "noo": "now",
    "aa": "all",
    "awa": "away",
    "heid": "head",
    "haand": "hand",
    "grund": "ground",
    "mysel": "myself",
    "masel": "myself",
    "meself": "myself",
    "hersel": "herself",
    "himsel": "himself",
    "yersel": "yourself",
    "wrang": "wrong",
    "wye": "way",
    "aawye": "everywhere",
    "deid": "dead",
    "bluid": "blood",
    "shakkin": "shaking",
    "ahint": "behind",
    "wid": "would",
    "du": "you",
    "aw": "all",
    "deyll": "theyll",
    "whit": "what",
    "oor": "our",
    "wir": "our",
    "wor": "our",
    "frit": "frightened",
    "frew": "through",
    "summat": "something",
    "sumthin": "something",
    "sumthing": "something",
    "somethin": "something",
    "nowt": "nothing",
    "owt": "anything",
}
_RULE_WORDS = {**_SCOTS_NOT, **_DIALECT}
_SCOTS = re.compile(r"\b(" + "|".join(_RULE_WORDS) + r")\b")
# Shetland "da" is "the", except after "my" and the like, where it is dad ("my da's haand"); the
# Black Country "ay" before a verb is "aint" ("he ay movin").
_DA = re.compile(
    r"(?<!\bmy )(?<!\bme )(?<!\bma )(?<!\bhis )(?<!\bher )(?<!\byer )(?<!\byour )(?<!\bstep )"
    r"(?<!\btheir )(?<!\bour )(?<!\boor )\bda\b"
)
_AY = re.compile(r"\bay (?=\w+ing\b)")
# Yorkshire "wor" is "was" after the one who was ("it wor just the caretaker", "he wor
# following me"); elsewhere it is the Geordie "our" ("wor kid", "in wor house": _DIALECT).
_WOR_WAS = re.compile(r"\b(it|he|she|that|there|i|we|they) wor\b")
# Scots "no" for "not" after "is": "hes no movin" (not "theres no swimming")
_NO_ING = re.compile(r"\b(hes|shes|theyre|its|im|he is|she is|they are) (?:no|nae) (?=\w+ing\b)")


def normalise(text: str) -> str:
    """Lower case, plain letters, no apostrophes, spaced punctuation, long repeats shortened,
    dropped g's put back on the rules' words."""
    text = plain(text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"(\w)'(\w)", r"\1\2", text)  # don't -> dont, i'm -> im
    text = re.sub(r"(.)\1{2,}", r"\1\1", text)  # heeelp -> heelp, !!!! -> !!
    text = re.sub(r"[^\w\s!?😂🤣💀😭🆘/]+", " ", text)
    text = re.sub(r"\b(help|pls|plz|please)(?:\1|[a-z]\b)*", r"\1", text)  # helppp -> help
    text = _DROPPED_G.sub(_restore_g, text)  # showin -> showing
    text = _WOR_WAS.sub(r"\1 was", text)  # it wor just -> it was just
    text = _SCOTS.sub(lambda m: _RULE_WORDS[m.group(1)], text)  # cannae -> cant, oot -> out
    text = _DA.sub("the", text)  # da kitchen -> the kitchen
    text = _AY.sub("aint ", text)  # he ay moving -> he aint moving
    text = _NO_ING.sub(r"\1 not ", text)  # hes no moving -> hes not moving
    return re.sub(r"\s+", " ", text).strip()


class SafetyNet:
    """The first stage: rules run on every message, before any model."""

    def scan(self, text: str) -> Signals:
        """Every rule and cue that fires anywhere in the message."""
        norm = normalise(text)
        if not norm:
            return Signals()
        idiom = False
        filtered = rules()
        candidates = filtered.candidates(norm)
        index = filtered.first(_IDIOMS, norm, candidates)
        while index is not None:
            # Taking words out only takes strings away, so the candidates worked out before
            # still hold (some may no longer match): they are worked out again once, after the
            # last idiom, not after each (a message made of every idiom would pay for each).
            norm = _IDIOMS[index].sub(" ", norm)
            idiom = True
            index = filtered.first(_IDIOMS, norm, candidates, index + 1)
        if idiom:
            candidates = filtered.candidates(norm)
        # Long messages are read in overlapping windows: each rule then costs the same
        # however long the message, and a cry for help at the end is still found. The window
        # where an emergency rule fires decides the time words that go with it.
        starts = list(range(0, max(len(norm) - WINDOW, 0) + 1, WINDOW - OVERLAP))
        if starts[-1] + WINDOW < len(norm):
            starts.append(len(norm) - WINDOW)
        found = Signals()
        # One window (almost every message): its candidates are the ones just worked out.
        whole = candidates if len(starts) == 1 else None
        for start in starts:
            window = _scan_window(norm[start : start + WINDOW], filtered, whole)
            found = _merge(found, window)
            if found.emergency_now and found.crisis:
                break
        if idiom:
            found = replace(found, idiom=True)
        if _light(norm):
            found = replace(found, light=True)
        return replace(found, resolved=True) if _resolved(norm) else found

    def check(self, text: str) -> SafetyMatch | None:
        """The rules alone, at their most cautious: for when nothing else can be asked (the
        model is down, or a flood of messages is being held back)."""
        signals = self.scan(text)
        if signals.emergency_now and signals.emergency and signals.emergency_rule:
            return SafetyMatch(signals.emergency, signals.emergency_rule)
        if signals.crisis and signals.crisis_rule:
            return SafetyMatch(signals.crisis, signals.crisis_rule)
        return None


def _resolved(norm: str) -> bool:
    """The message ends by saying the scare was nothing (`_RESOLVED`)."""
    ends = [match.end() for match in _RESOLVED.finditer(norm)]
    if not ends:
        return False
    after = norm[ends[-1] :]
    return (
        len(after.split()) <= _RESOLVED_TAIL
        and not _DANGER_WORDS.search(after)
        and not _HAPPENING.search(after)
        and not _TROUBLE_AFTER.search(after)
        and not _serious(norm)
    )


def _serious(norm: str) -> bool:
    """A weapon, a stabbing, real danger or blood in quantity anywhere in the message: no
    calming word outweighs them."""
    return bool(_SERIOUS.search(norm) or _REAL_DANGER.search(norm) or _BLOODSHED.search(norm))


def _light(norm: str) -> bool:
    """A light tone (`_LIGHT`) that nothing after it takes back, in a message with nothing
    serious in it."""
    ends = [match.end() for match in _LIGHT.finditer(norm)]
    if not ends:
        return False
    return not (_TAKEN_BACK.search(norm[ends[-1] :]) or _serious(norm))


def _first_emergency(norm: str, filtered: Prefilter, found: int) -> tuple[str, str, str] | None:
    """The first emergency rule that fires, most trusted tier first: (reply, rule, tier)."""
    for tier, tiered in _TIERS:
        for reply_id, patterns in tiered.items():
            index = filtered.first(patterns, norm, found)
            if index is not None:
                return reply_id, f"{reply_id}{'~' + tier if tier else ''}[{index}]", tier
    return None


def _scan_window(norm: str, filtered: Prefilter, candidates: int | None = None) -> Signals:
    """The signals of one window of a message; `candidates`, when known, are the patterns that
    may match it (bot/prefilter.py)."""
    if candidates is None:
        candidates = filtered.candidates(norm)

    def has(pattern: re.Pattern[str]) -> bool:
        return filtered.search(pattern, norm, candidates)

    emergency = emergency_rule = crisis = crisis_rule = None
    tier = None
    found = _first_emergency(norm, filtered, candidates)
    if found is not None:
        emergency, emergency_rule, tier = found
    still = has(_STRONG_NOW) or (emergency != "emergency_first_aid" and has(_HERE_AGAIN))
    serious = has(_SERIOUS)
    minor = has(_MINOR) and not serious
    if minor and tier == "" and emergency == "emergency_first_aid":
        tier, emergency_rule = "weak", f"{emergency_rule}~minor"
    # An everyday reading (a creature, a story, the weather, a thing), looked for first: the
    # words of real danger are only read when one is there.
    creature = has(_CREATURE)
    fiction = has(_FICTION)
    weather = has(_WEATHER)
    thing = has(_TRIVIAL)
    if creature or fiction or weather or thing:
        real_event = has(_REAL_DANGER)
        real = real_event or has(_BLOODSHED)
        happening = has(_HAPPENING)
        creature = creature and not serious and not real and not has(_ALLERGY)
        fiction = fiction and not happening and not real_event
        weather = weather and not serious and not real and not happening
        thing = thing and not serious and not real and not has(_DANGER_WORDS)
    # A story makes any strong rule weak; a creature, the weather or a thing only a cry for
    # help or a danger rule (an injury is not made small by a wasp).
    everyday = "fiction" if fiction else "thing" if creature or weather or thing else None
    if everyday and tier in ("", "sure") and (fiction or emergency == "emergency_help"):
        tier, emergency_rule = "weak", f"{emergency_rule}~{everyday}"
    trivial = tier in (None, "weak") and everyday is not None
    for reply_id in CRISIS_RULES:
        index = filtered.first(_COMPILED[reply_id], norm, candidates)
        if index is not None:
            crisis, crisis_rule = reply_id, f"{reply_id}[{index}]"
            break
    return Signals(
        emergency=emergency,
        emergency_rule=emergency_rule,
        weak=tier == "weak",
        medical=tier in ("medical", "sure"),
        crisis=crisis,
        crisis_rule=crisis_rule,
        past=has(_PAST),
        hypothetical=has(_HYPOTHETICAL),
        still=still,
        plain_harm=has(_PLAIN_HARM),
        body_now=has(_BODY_NOW),
        minor=minor,
        trivial=trivial,
        online=has(_ONLINE) and not still and not has(_HAPPENING) and not has(_COMING),
        habit=has(_HABIT),
    )


def _merge(seen: Signals, window: Signals) -> Signals:
    """Keep the most urgent reading: an emergency happening now beats one that is over, and a
    strong rule beats a weak one."""
    if window.emergency and (
        seen.emergency is None
        or (window.emergency_now and not seen.emergency_now)
        or (window.emergency_now == seen.emergency_now and seen.weak and not window.weak)
        or (window.emergency_now == seen.emergency_now and window.medical and not seen.medical)
    ):
        seen = replace(window, crisis=seen.crisis, crisis_rule=seen.crisis_rule)
    elif seen.emergency is None:
        seen = replace(
            seen,
            past=seen.past or window.past,
            hypothetical=seen.hypothetical or window.hypothetical,
            still=seen.still or window.still,
            plain_harm=seen.plain_harm or window.plain_harm,
            minor=seen.minor or window.minor,
            trivial=seen.trivial or window.trivial,
            online=seen.online or window.online,
            habit=seen.habit or window.habit,
        )
    if window.crisis and not seen.crisis:
        seen = replace(seen, crisis=window.crisis, crisis_rule=window.crisis_rule)
    if window.body_now and not seen.body_now:
        seen = replace(seen, body_now=True)
    return seen


# -- the second stage

# The grades the safety classifier (nlu/safety/) chooses between.
DANGER_NOW = "danger_now"
INJURED_NOW = "injured_now"
CRISIS_AND_INJURY = "crisis_and_injury"
SUICIDAL = "suicidal"
SELF_HARM = "self_harm"
FRIEND_CRISIS = "friend_crisis"
PAST = "past"
HYPOTHETICAL = "hypothetical"
GENERAL = "general"
EVERYDAY = "everyday"
GRADES = (
    DANGER_NOW, INJURED_NOW, CRISIS_AND_INJURY, SUICIDAL, SELF_HARM, FRIEND_CRISIS,
    PAST, HYPOTHETICAL, GENERAL, EVERYDAY,
)  # fmt: skip
NOW_GRADES = (DANGER_NOW, INJURED_NOW, CRISIS_AND_INJURY)
HURT_GRADES = (INJURED_NOW, CRISIS_AND_INJURY)
CRISIS_GRADES = (SUICIDAL, SELF_HARM, FRIEND_CRISIS, CRISIS_AND_INJURY)

Urgency = Literal["clear", "uncertain"]


def grade_of_intent(intent: str) -> str:
    """The safety grade an NLU intent's examples teach the classifier: a question about the
    law is "general", a greeting "everyday", a request for first aid "injured_now"."""
    return {
        "emergency_help": DANGER_NOW,
        "emergency_first_aid": INJURED_NOW,
        "crisis_suicidal": SUICIDAL,
        "crisis_self_harm": SELF_HARM,
        "crisis_friend": FRIEND_CRISIS,
        "support_after_violence": PAST,
        "support_bereavement": PAST,
        "greet": EVERYDAY,
        "goodbye": EVERYDAY,
        "thanks": EVERYDAY,
        "bot_about": EVERYDAY,
        "bot_privacy": EVERYDAY,
        "help": EVERYDAY,
        "out_of_scope": EVERYDAY,
    }.get(intent, GENERAL)


@dataclass(frozen=True)
class Verdict:
    """What the safety net decided.

    emergency: "clear" gets the emergency reply (`emergency_reply`); "uncertain" gets the normal
    answer with a line about 999 at the top; None, no 999 at all.
    crisis: the crisis reply to give (or to add a helpline from), or None.
    settled: the message is about something over, or an everyday thing, so even if the NLU
    model picks an emergency intent, no emergency reply is given.
    over: no emergency, and the message is about something that has already happened ("last
    week"): the answer about reporting something happening right now is not given either.
    calm: no crisis, and the classifier is sure of it (an everyday message, or one about
    something over): "cut my hair" or "dying of laughter" never gets a crisis reply, even if
    the NLU model picks a crisis intent.
    """

    emergency: Urgency | None = None
    emergency_reply: str = "emergency_help"
    crisis: str | None = None
    why: str = ""
    settled: bool = False
    over: bool = False
    calm: bool = False


@dataclass(frozen=True)
class SafetyPolicy:
    """How sure is sure enough, for each grade.

    The thresholds were chosen on leave-one-writer-out predictions (`python -m bot evaluate`
    writes them to reports/lowo_predictions.jsonl; bench/safety_thresholds.py sweeps them),
    never on the blind test writers: recall on emergencies and crises comes first, then as
    few 999 replies to everyday messages as that allows.

    "now" is the classifier's share for danger or injury happening now; "everyday" its share
    for an ordinary message.

    A strong rule's emergency (no time words say it is over) is
      clear      when the message says it is still happening ("wont stop", "right now") or
                 now >= strong_clear, unless everyday >= everyday_veto;
      uncertain  otherwise, unless everyday >= drop_at (an everyday use of the words; only
                 unsure_everyday when an idiom was taken out of the message) and no
                 crisis rule fired (someone who says they are hurt and do not want to live is not
                 having an ordinary day, whatever the classifier reads).
    A weak rule's emergency ("bleeding", "got juked", "hiding") is clear when now >= now_clear
    and everyday < everyday_veto, uncertain when now >= weak_uncertain and everyday <
    drop_at (unsure_everyday when an idiom was taken out, the scare is said to be over or the
    tone is light: on writers left out in groups, 2 fewer false 999s of 115, no emergency
    lost), and otherwise dropped.
    Without a rule, now >= now_alone is clear and now >= now_uncertain uncertain; a rule
    whose event is over (time words) is uncertain when now >= now_uncertain. That guess, and
    the 999 line on a crisis below, are not made when everyday >= unsure_everyday (the
    classifier reads the message as an ordinary day as much as not: "my gums are bleeding
    after the dentist"); on leave-one-writer-out that took false 999s from 72 to 53 and lost
    no emergency.
    A crisis rule always gets a helpline, whatever the classifier says (on leave-one-writer-out
    letting it overrule one at everyday >= 0.97 lost two crises, such as "ive already picked a
    day", and spared one ordinary message, which the rules now read rightly); so does a crisis
    share >= crisis_alone. With no emergency, everyday plus past >= settled_at (or a rule that was
    overruled) keeps the NLU model's emergency intents from being answered. With no crisis,
    a crisis share below crisis_calm and everyday plus past >= settled_at keeps its crisis
    intents from being answered. A crisis where the classifier's share for someone hurt now is
    at least hurt_in_crisis gets the line about 999 on top of the helpline reply ("ive cut
    myself and its not stopping"). With the classifier trained on writers t33 to t124, that
    share is spread thinner: with writers left out in groups, 0.05 instead of 0.1 gave the 999
    line to 2 more of 1,052 people hurt and in crisis now, and to 20 more of 3,600 in crisis
    but not hurt, and to no everyday message. A crisis (a rule, or the classifier's share >=
    crisis_alone) with words for how the body is now, what is at hand or that it is about to be
    done (Signals.body_now) gets it too, whatever the classifier's share for someone hurt: on
    writers left out in groups, "about to be done" (stop 30) gave the 999 line to 8 more of
    6,923 emergencies and to no everyday message. A crisis that words call a
    habit (Signals.habit: "keeps", "always", "when shes stressed") does not get it from the
    share alone: with the classifier trained on the writers of stop 28 (nlu/WRITERS.md), writers
    left out in groups gave the 999 line to 8 fewer of 5,618 crises with no one hurt now, and to
    1 fewer everyday message, and every emergency kept it.
    A thing, a game, the weather, a creature or a story in the message ("my phone", "in fifa")
    keeps the classifier alone from any 999, unless now >= thing_sure: on writers left out in
    groups, phones taken by whoever is keeping someone in, "on 4% battery" and hair straighteners
    used on purpose hid 8 of 5,013 emergencies the classifier was sure of (0.95 or more), and
    no everyday message was that sure.
    A message that ends by saying the scare was nothing ("oh its just the amazon guy", "false
    alarm") is read like one with an idiom: on writers left out in groups that spared 9 of 99
    false 999s and lost no emergency. Someone harmless it turned out to be ("turns out it was
    my cousin", "it was just a drunk guy singing") counts too, unless words after it say that
    person is the trouble ("its my dad and hes drunk and angry"): 4 more of 119 spared (stop 29).
    A light tone (Signals.light: a laugh, "nvm", "now hes fine") is read the same way when no
    rule fired and there is no crisis, unless now >= thing_sure: on writers left out in groups
    (stop 29) that spared 9 of 128 false 999s and lost no emergency; a laugh in a crisis ("took
    stuff to end it... haha") is not a light tone, and without the thing_sure limit one test
    writer's emergency the classifier was certain of lost its 999.
    A threat or a knife seen online (Signals.online), with no crisis and no one hurt, is never
    "clear": on writers left out in groups, 4 more of 10,715 messages got their own topic (the
    answer about reporting online) and no emergency lost its 999 line or its reply.
    Time words that say it is over turn the classifier's "clear" into the 999 line above the
    answer, and keep the NLU model's emergency intents out; an everyday thing, story, creature
    or idiom with no rule left keeps them out too.
    """

    strong_clear: float = 0.15
    now_clear: float = 0.3
    weak_uncertain: float = 0.1
    everyday_veto: float = 0.5
    drop_at: float = 0.85
    now_alone: float = 0.8
    now_uncertain: float = 0.3
    crisis_alone: float = 0.4
    settled_at: float = 0.5
    crisis_calm: float = 0.1
    hurt_in_crisis: float = 0.05
    unsure_everyday: float = 0.45
    thing_sure: float = 0.95

    def decide(self, signals: Signals, grades: Mapping[str, float] | None) -> Verdict:
        """Combine the rules with the classifier's grades (None when it is unavailable)."""
        if grades is None:
            return self._rules_only(signals)
        now = sum(grades.get(g, 0.0) for g in NOW_GRADES)
        calmed = signals.idiom or signals.resolved  # everyday words, or a scare said to be nothing
        if signals.trivial and signals.emergency is None and now >= self.thing_sure:
            # no rule fired, and the classifier is all but certain: a phone or a game in the
            # message ("they took my phone and locked the door") does not make it small
            signals = replace(signals, trivial=False)
        crisis_share = sum(grades.get(g, 0.0) for g in CRISIS_GRADES)
        everyday = grades.get(EVERYDAY, 0.0)

        crisis = self._crisis(signals, grades, crisis_share)
        emergency_reply = self._emergency_reply(signals, grades)
        # a threat or a knife seen online: not happening where the person is (someone hurt, or
        # a friend who has taken something, is an emergency wherever they are; so is danger a
        # sure or plain rule names)
        online = (
            signals.online
            and crisis is None
            and emergency_reply == "emergency_help"
            and not (signals.medical or signals.plain_harm)
        )
        # a laugh in a crisis is not a light tone ("took stuff to end it... haha")
        light = signals.light and crisis is None and now < self.thing_sure
        emergency: Urgency | None = None
        why = ""
        if signals.emergency_now and not signals.weak:
            if (
                (signals.still or now >= self.strong_clear)
                and everyday < self.everyday_veto
                and not online
            ):
                emergency, why = "clear", "a rule fired and nothing says it is over"
            elif (
                # dramatic words used in an everyday way were taken out ("cut my own fringe, pls
                # help"): the classifier needs less to call the rest an ordinary day
                everyday < (self.unsure_everyday if calmed else self.drop_at)
                or signals.medical
                or signals.plain_harm
                or signals.crisis
                or signals.still
            ):
                emergency, why = "uncertain", "a rule fired but the classifier doubts it"
            else:
                why = "a rule fired on an everyday use of the words"
        elif signals.emergency_now and signals.trivial:
            why = "a weak rule fired on a small trouble with a thing"
        elif signals.emergency_now:
            if now >= self.now_clear and everyday < self.everyday_veto:
                emergency, why = "clear", "a weak rule fired and the classifier agrees"
            elif (
                now >= self.weak_uncertain
                and everyday < (self.unsure_everyday if calmed or light else self.drop_at)
                and not signals.minor
            ):
                emergency, why = "uncertain", "a weak rule fired and the classifier is unsure"
            else:
                why = "a weak rule fired on an everyday use of the words"
        hurt = sum(grades.get(g, 0.0) for g in HURT_GRADES)
        # it reads as an ordinary day as much as not, or the words say the injury is small
        doubt = everyday >= self.unsure_everyday or signals.minor or signals.trivial
        alone = signals.emergency is None  # no rule fired: the classifier alone
        if alone and (calmed or light):
            doubt = True
        habit = signals.habit and not (signals.still or signals.body_now)
        if (
            emergency is None
            and crisis is not None
            and hurt >= self.hurt_in_crisis
            and not doubt
            and not habit
        ):
            emergency, why = "uncertain", "a crisis, and the classifier sees someone hurt"
        elif emergency is None and crisis is not None and signals.body_now:
            # a crisis (a rule, or the classifier's share >= crisis_alone) and words for how the
            # body is now or what is at hand ("took tablets 20 min ago", "got the blade in my
            # hand"); words alone are not: "i feel sick, ate too many sweets"
            emergency, why = "uncertain", "a crisis, and words say how the body is now"
        over_by_words = signals.past and not signals.still
        if (
            emergency != "clear"
            and now >= self.now_alone
            and not (signals.minor or signals.trivial or over_by_words)
            and not (alone and (calmed or light))
            and not online
        ):
            emergency, why = "clear", "the classifier is sure it is happening now"
        elif emergency is None and now >= self.now_alone and over_by_words and not doubt:
            emergency, why = "uncertain", "the classifier is sure, but time words say it is over"
        elif emergency is None and now >= self.now_uncertain and not doubt:
            emergency, why = "uncertain", "the classifier thinks it may be happening now"
        over_or_everyday = everyday + grades.get(PAST, 0.0) >= self.settled_at
        settled = (
            (
                emergency is None
                and (
                    signals.emergency is not None  # a rule fired and was overruled
                    or over_or_everyday
                )
            )
            or (emergency != "clear" and over_by_words)
            or (emergency is None and alone and (calmed or signals.trivial or light))
        )
        calm = crisis is None and crisis_share < self.crisis_calm and over_or_everyday
        over = emergency is None and (
            (signals.past and not signals.still) or grades.get(PAST, 0.0) >= self.settled_at
        )
        return Verdict(
            emergency=emergency,
            emergency_reply=emergency_reply,
            crisis=crisis,
            why=why,
            settled=settled,
            over=over,
            calm=calm,
        )

    def _crisis(
        self,
        signals: Signals,
        grades: Mapping[str, float],
        crisis_share: float,
    ) -> str | None:
        if signals.crisis is None and crisis_share < self.crisis_alone:
            return None
        friend = grades.get(FRIEND_CRISIS, 0.0)
        own = grades.get(SUICIDAL, 0.0) + grades.get(SELF_HARM, 0.0)
        if friend > own and friend >= grades.get(CRISIS_AND_INJURY, 0.0):
            return "crisis_friend"
        if signals.crisis is not None:
            return signals.crisis
        if grades.get(SELF_HARM, 0.0) > grades.get(SUICIDAL, 0.0):
            return "crisis_self_harm"
        return "crisis_suicidal"

    @staticmethod
    def _emergency_reply(signals: Signals, grades: Mapping[str, float]) -> str:
        if signals.emergency is not None and signals.emergency_now:
            return signals.emergency
        hurt = sum(grades.get(g, 0.0) for g in HURT_GRADES)
        return "emergency_first_aid" if hurt > grades.get(DANGER_NOW, 0.0) else "emergency_help"

    @staticmethod
    def _rules_only(signals: Signals) -> Verdict:
        """Without the classifier the rules decide alone, as cautiously as they can."""
        emergency: Urgency | None = None
        if signals.emergency_now:
            emergency = "clear"
        elif signals.emergency is not None:
            emergency = "uncertain"
        return Verdict(
            emergency=emergency,
            emergency_reply=signals.emergency or "emergency_help",
            crisis=signals.crisis,
            why="rules only",
        )
